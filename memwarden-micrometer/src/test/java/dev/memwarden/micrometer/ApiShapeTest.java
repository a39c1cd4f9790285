package dev.memwarden.micrometer;

import dev.memwarden.testing.ApiShape;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The binder's public API, held to {@code api/memwarden-micrometer.api}. Rewrite the file with {@code
 * -Dmemwarden.api.write=true} when a change is meant, and review the diff.
 */
class ApiShapeTest {
    private static final Path SHAPE = Path.of("api", "memwarden-micrometer.api");

    @Test
    void thePublicApiIsTheRecordedShape() throws Exception {
        ApiShape.verify(Path.of("target", "classes"), "dev.memwarden.micrometer.internal.", SHAPE);
    }
}
