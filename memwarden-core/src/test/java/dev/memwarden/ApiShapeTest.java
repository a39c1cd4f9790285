package dev.memwarden;

import static java.util.stream.Collectors.joining;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Member;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The public API's shape, held to {@code api/memwarden-core.api}: every public type outside {@code
 * dev.memwarden.internal} and its public and protected members, one line each. A change to the API fails here until
 * the file is rewritten ({@code ./mvnw -pl memwarden-core test -Dtest=ApiShapeTest -Dmemwarden.api.write=true}), so
 * that it shows in review; once 1.0 is released, removals and changed signatures are what must not happen.
 */
class ApiShapeTest {
    private static final Path CLASSES = Path.of("target", "classes");
    private static final Path SHAPE = Path.of("api", "memwarden-core.api");

    @Test
    void thePublicApiIsTheRecordedShape() throws Exception {
        List<String> shape = shape();
        if (Boolean.getBoolean("memwarden.api.write")) {
            Files.write(SHAPE, shape);
        }
        List<String> recorded = Files.readAllLines(SHAPE);
        List<String> added = new ArrayList<>(shape);
        added.removeAll(recorded);
        List<String> removed = new ArrayList<>(recorded);
        removed.removeAll(shape);
        assertThat(added)
                .as("public API added; if meant, rewrite %s with -Dmemwarden.api.write=true and review the diff", SHAPE)
                .isEmpty();
        assertThat(removed)
                .as("public API removed or changed; if meant, rewrite %s with -Dmemwarden.api.write=true", SHAPE)
                .isEmpty();
    }

    @Test
    void theInternalPackagesAreNotPartOfIt() throws Exception {
        assertThat(shape()).noneMatch(line -> line.contains("dev.memwarden.internal.") && line.startsWith("type "));
    }

    private static List<String> shape() throws IOException, ClassNotFoundException {
        List<String> lines = new ArrayList<>();
        for (String name : classNames()) {
            Class<?> type = Class.forName(name, false, ApiShapeTest.class.getClassLoader());
            if (!visible(type)) {
                continue;
            }
            lines.add(header(type));
            Stream.of(type.getDeclaredConstructors(), type.getDeclaredMethods(), type.getDeclaredFields())
                    .flatMap(Arrays::stream)
                    .filter(member -> visible((Member) member) && !((Member) member).isSynthetic())
                    .map(member -> "  " + describe(member))
                    .sorted()
                    .forEach(lines::add);
        }
        return lines;
    }

    /**
     * A type's line, written here rather than by {@code Class.toGenericString()}, whose words differ between JDKs
     * (JDK 25 adds "sealed").
     */
    private static String header(Class<?> type) {
        int shown = Modifier.PUBLIC | Modifier.PROTECTED | Modifier.STATIC | Modifier.FINAL;
        String kind = type.isAnnotation()
                ? "@interface"
                : type.isInterface() ? "interface" : type.isEnum() ? "enum" : type.isRecord() ? "record" : "class";
        StringBuilder line = new StringBuilder("type ")
                .append(Modifier.toString(type.getModifiers() & shown))
                .append(type.isSealed() ? " sealed " : " ")
                .append(kind)
                .append(' ')
                .append(type.getName());
        TypeVariable<?>[] parameters = type.getTypeParameters();
        if (parameters.length > 0) {
            line.append(Arrays.stream(parameters).map(TypeVariable::getName).collect(joining(",", "<", ">")));
        }
        Type superclass = type.getGenericSuperclass();
        if (superclass != null && kind.equals("class") && superclass != Object.class) {
            line.append(" extends ").append(superclass.getTypeName());
        }
        if (type.getGenericInterfaces().length > 0 && !type.isAnnotation()) {
            line.append(Arrays.stream(type.getGenericInterfaces())
                    .map(Type::getTypeName)
                    .collect(joining(",", " implements ", "")));
        }
        return line.toString();
    }

    private static String describe(Object member) {
        if (member instanceof Executable executable) {
            return executable.toGenericString();
        }
        return ((Field) member).toGenericString();
    }

    private static List<String> classNames() throws IOException {
        try (Stream<Path> files = Files.walk(CLASSES)) {
            return files.filter(f -> f.toString().endsWith(".class"))
                    .map(f -> CLASSES.relativize(f).toString().replace('/', '.').replace(".class", ""))
                    .filter(name -> !name.startsWith("dev.memwarden.internal.") && !name.endsWith("package-info"))
                    .sorted()
                    .toList();
        }
    }

    /** Public, and reachable: a public class nested only in public classes. */
    private static boolean visible(Class<?> type) {
        for (Class<?> t = type; t != null; t = t.getDeclaringClass()) {
            if (!Modifier.isPublic(t.getModifiers())) {
                return false;
            }
        }
        return !type.isAnonymousClass() && !type.isSynthetic();
    }

    private static boolean visible(Member member) {
        int modifiers = member.getModifiers();
        return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
    }
}
