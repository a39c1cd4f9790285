package dev.memwarden.server;

import dev.memwarden.testing.ApiShape;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The server's public API, held to {@code api/memwarden-server.api}: the builder and the server, nothing of the
 * routes. Rewrite the file with {@code -Dmemwarden.api.write=true} when a change is meant, and review the diff.
 */
class ApiShapeTest {
    private static final Path SHAPE = Path.of("api", "memwarden-server.api");

    @Test
    void thePublicApiIsTheRecordedShape() throws Exception {
        ApiShape.verify(Path.of("target", "classes"), "dev.memwarden.server.internal.", SHAPE);
    }
}
