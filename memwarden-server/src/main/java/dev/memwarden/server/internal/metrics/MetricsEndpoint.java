package dev.memwarden.server.internal.metrics;

import dev.memwarden.server.internal.http.Request;
import dev.memwarden.server.internal.http.Response;
import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.OpenMetricsTextFormatWriter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

/** {@code GET /metrics}: OpenMetrics for a scraper that asks for it, the Prometheus text format otherwise. */
public final class MetricsEndpoint {
    private final MemwardenMetrics metrics;
    private final ExpositionFormatWriter openMetrics = OpenMetricsTextFormatWriter.create();
    private final ExpositionFormatWriter text = PrometheusTextFormatWriter.create();

    public MetricsEndpoint(MemwardenMetrics metrics) {
        this.metrics = metrics;
    }

    public Response scrape(Request request) throws IOException {
        String accept = request.header("Accept").orElse("");
        ExpositionFormatWriter writer = openMetrics.accepts(accept) ? openMetrics : text;
        ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
        writer.write(out, metrics.collect(), EscapingScheme.DEFAULT);
        return Response.of(200, writer.getContentType(), out.toByteArray());
    }
}
