package dev.memwarden.server;

import dev.memwarden.Memwarden;
import dev.memwarden.MemwardenConfig;
import dev.memwarden.dump.HeapDumps;
import dev.memwarden.server.internal.api.HealthEndpoints;
import dev.memwarden.server.internal.api.MemoryEndpoints;
import dev.memwarden.server.internal.api.MemoryEventStream;
import dev.memwarden.server.internal.http.AdminGuard;
import dev.memwarden.server.internal.http.JdkHttpServer;
import dev.memwarden.server.internal.http.Router;
import dev.memwarden.server.internal.metrics.MemwardenMetrics;
import dev.memwarden.server.internal.metrics.MetricsEndpoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The management API, health probes and Prometheus {@code /metrics} over a running {@link Memwarden}, on the JDK's own
 * HTTP server. Loopback only unless told otherwise; admin endpoints only with a token.
 *
 * <pre>{@code
 * try (Memwarden memwarden = Memwarden.builder().start();
 *         MemwardenServer server = MemwardenServer.builder(memwarden).port(9400).start()) {
 *     // curl http://127.0.0.1:9400/api/monitoring/memory/stats
 * }
 * }</pre>
 */
public final class MemwardenServer implements AutoCloseable {
    /** The environment variable that holds the admin token, unless {@link Builder#adminTokenFile} names a file. */
    public static final String TOKEN_VARIABLE = "MEMWARDEN_SERVER_TOKEN";

    private static final System.Logger LOG = System.getLogger(MemwardenServer.class.getName());

    private final JdkHttpServer http;
    private final MemoryEventStream stream;
    private final MemoryEndpoints memory;

    private MemwardenServer(JdkHttpServer http, MemoryEventStream stream, MemoryEndpoints memory) {
        this.http = http;
        this.stream = stream;
        this.memory = memory;
    }

    public static Builder builder(Memwarden memwarden) {
        return new Builder(memwarden);
    }

    /** The port it listens on: the one asked for, or the one the system chose for port 0. */
    public int port() {
        return http.port();
    }

    /** Where it listens, as a URL without a path: {@code http://127.0.0.1:9400}. */
    public String url() {
        InetSocketAddress address = http.address();
        String host = address.getAddress().getHostAddress();
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
    }

    /** Ends every subscriber's stream and any dump analysis under way, then stops listening. */
    @Override
    public void close() {
        stream.close();
        http.close();
        memory.close();
    }

    /** How to build a server; every setting has a safe default. */
    public static final class Builder {
        private final Memwarden memwarden;
        private String host;
        private int port;
        private @Nullable String token;
        private @Nullable Path tokenFile;
        private Map<String, String> environment = System.getenv();
        private JdkHttpServer.Limits limits = JdkHttpServer.Limits.defaults();
        private InstantSource clock = InstantSource.system();

        /** Starts from the memwarden's own {@code memwarden.server.*} settings. */
        private Builder(Memwarden memwarden) {
            this.memwarden = memwarden;
            MemwardenConfig.Server settings = memwarden.config().server();
            this.host = settings.host();
            this.port = settings.port();
            this.tokenFile = settings.tokenFile();
        }

        /** The address to bind; anything but loopback is logged, as it exposes the API beyond this machine. */
        public Builder host(String host) {
            this.host = host;
            return this;
        }

        /** The port; 0 lets the system choose one, which {@link #port()} then tells. */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("a port is 0 to 65535, not " + port);
            }
            this.port = port;
            return this;
        }

        /** The admin token itself; for tests and embedding. A service reads it from a file or the environment. */
        public Builder adminToken(String token) {
            if (token.isBlank()) {
                throw new IllegalArgumentException("the admin token must not be blank");
            }
            this.token = token;
            return this;
        }

        /** A file holding the admin token (its first line); read once, at start. */
        public Builder adminTokenFile(Path file) {
            this.tokenFile = file;
            return this;
        }

        /** Where {@value #TOKEN_VARIABLE} is read from; the process's environment unless a test says otherwise. */
        public Builder environment(Map<String, String> environment) {
            this.environment = Map.copyOf(environment);
            return this;
        }

        /**
         * How long a client may take to send its whole request, 10 s unless set: a slower one is disconnected, so that
         * no client holds one of the few workers for long.
         */
        public Builder requestTimeout(java.time.Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("the request timeout must be positive, not " + timeout);
            }
            this.limits = limits.withReadTimeout(timeout);
            return this;
        }

        public Builder clock(InstantSource clock) {
            this.clock = clock;
            return this;
        }

        /** Starts listening; fails with the reason when the address cannot be bound (a busy port, say). */
        public MemwardenServer start() throws IOException {
            InetAddress address = InetAddress.getByName(host);
            if (!address.isLoopbackAddress()) {
                LOG.log(
                        System.Logger.Level.WARNING,
                        "memwarden: the management API listens on " + host + ", beyond this machine");
            }
            Router router = new Router();
            InetSocketAddress bind = new InetSocketAddress(address, port);
            AdminGuard guard = new AdminGuard(adminToken(), clock);
            MemoryEndpoints memory = new MemoryEndpoints(
                    memwarden,
                    HeapDumps.builder(memwarden.config().evidenceDir()).build(),
                    clock);
            memory.addTo(router, guard);
            MemoryEventStream stream = new MemoryEventStream(memwarden, memory, guard);
            new HealthEndpoints(memwarden).addTo(router);
            MetricsEndpoint metrics = new MetricsEndpoint(new MemwardenMetrics(memwarden));
            router.get("/metrics", metrics::scrape);
            JdkHttpServer http;
            try {
                http = JdkHttpServer.start(bind, request -> guard.guard(request, router), stream, limits);
            } catch (IOException | RuntimeException e) {
                stream.close();
                throw e;
            }
            guard.listeningOn(address, http.port());
            stream.watchedAs(http.port());
            return new MemwardenServer(http, stream, memory);
        }

        private @Nullable String adminToken() {
            if (token != null) {
                return token;
            }
            if (tokenFile != null) {
                try {
                    String first = Files.readAllLines(tokenFile, StandardCharsets.UTF_8).stream()
                            .findFirst()
                            .orElse("")
                            .trim();
                    if (first.isEmpty()) {
                        throw new IllegalStateException("the admin token file " + tokenFile + " is empty");
                    }
                    return first;
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read the admin token file " + tokenFile, e);
                }
            }
            String fromEnvironment = environment.get(TOKEN_VARIABLE);
            return fromEnvironment == null || fromEnvironment.isBlank() ? null : fromEnvironment.trim();
        }
    }
}
