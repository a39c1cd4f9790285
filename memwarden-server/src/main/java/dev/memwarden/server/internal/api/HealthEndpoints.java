package dev.memwarden.server.internal.api;

import dev.memwarden.Memwarden;
import dev.memwarden.health.HealthStatus;
import dev.memwarden.health.Level;
import dev.memwarden.internal.Json;
import dev.memwarden.server.internal.http.Response;
import dev.memwarden.server.internal.http.Router;
import java.util.Optional;

/**
 * {@code /api/health} and the probes an orchestrator polls. Health answers 200 for OK and WARN and 503 for CRITICAL,
 * with every rule. Readiness fails while CRITICAL, so load stops before the OOM; liveness fails only when the JVM
 * spends its time in GC (the {@value #GC_RULE} rule CRITICAL), the one state a restart cures and waiting does not.
 */
public final class HealthEndpoints {
    static final String GC_RULE = "gc.overhead";

    private final Memwarden memwarden;

    public HealthEndpoints(Memwarden memwarden) {
        this.memwarden = memwarden;
    }

    public void addTo(Router router) {
        router.get("/api/health", request -> {
                    HealthStatus status = memwarden.health();
                    return Response.json(
                            status.level() == Level.CRITICAL ? 503 : 200,
                            Json.write(json -> JsonViews.health(json, status)));
                })
                .get("/api/health/readiness", request -> {
                    HealthStatus status = memwarden.health();
                    return probe(status.level() != Level.CRITICAL, "health is " + status.level());
                })
                .get("/api/health/liveness", request -> {
                    Optional<HealthStatus.RuleStatus> gc = memwarden.health().rule(GC_RULE);
                    boolean spiral = gc.isPresent() && gc.get().level() == Level.CRITICAL;
                    return probe(!spiral, spiral ? gc.get().reason() : "not in a GC death spiral");
                });
    }

    private static Response probe(boolean up, String reason) {
        return Response.json(up ? 200 : 503, Json.write(json -> {
            json.writeStartObject();
            json.writeStringField("status", up ? "UP" : "DOWN");
            json.writeStringField("reason", reason);
            json.writeEndObject();
        }));
    }
}
