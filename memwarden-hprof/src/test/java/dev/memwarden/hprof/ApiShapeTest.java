package dev.memwarden.hprof;

import dev.memwarden.testing.ApiShape;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The analyzer's public API, held to {@code api/memwarden-hprof.api}: what the server and the command line build on.
 * Rewrite the file with {@code -Dmemwarden.api.write=true} when a change is meant, and review the diff.
 */
class ApiShapeTest {
    private static final Path SHAPE = Path.of("api", "memwarden-hprof.api");

    @Test
    void thePublicApiIsTheRecordedShape() throws Exception {
        ApiShape.verify(Path.of("target", "classes"), "dev.memwarden.hprof.internal.", SHAPE);
    }
}
