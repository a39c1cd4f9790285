package dev.memwarden.bench.server;

import dev.memwarden.Memwarden;
import dev.memwarden.server.MemwardenServer;
import java.io.IOException;
import java.util.Map;

/**
 * The child JVM of {@link ServerLoadBench}: memwarden and its server with the defaults, on a port the system chooses,
 * which it prints as {@code PORT n}; it ends when its standard input closes.
 */
public final class ServedService {
    private ServedService() {}

    public static void main(String[] args) throws IOException {
        try (Memwarden memwarden = Memwarden.builder().start();
                MemwardenServer server = MemwardenServer.builder(memwarden)
                        .port(0)
                        .environment(Map.of())
                        .start()) {
            System.out.println("PORT " + server.port());
            System.out.flush();
            while (System.in.read() >= 0) {
                // the parent closes our input to end us
            }
        }
    }
}
