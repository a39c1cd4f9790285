package dev.memwarden;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memwarden.testing.ApiShape;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The public API's shape, held to {@code api/memwarden-core.api}: every public type outside {@code
 * dev.memwarden.internal} and its public and protected members, one line each. A change to the API fails here until
 * the file is rewritten ({@code ./mvnw -pl memwarden-core test -Dtest=ApiShapeTest -Dmemwarden.api.write=true}), so
 * that it shows in review; once 1.0 is released, removals and changed signatures are what must not happen.
 */
class ApiShapeTest {
    private static final Path CLASSES = Path.of("target", "classes");
    private static final String INTERNAL = "dev.memwarden.internal.";
    private static final Path SHAPE = Path.of("api", "memwarden-core.api");

    @Test
    void thePublicApiIsTheRecordedShape() throws Exception {
        ApiShape.verify(CLASSES, INTERNAL, SHAPE);
    }

    @Test
    void theInternalPackagesAreNotPartOfIt() throws Exception {
        assertThat(shape()).noneMatch(line -> line.contains("dev.memwarden.internal."));
    }

    private static List<String> shape() throws Exception {
        return ApiShape.of(CLASSES, INTERNAL);
    }
}
