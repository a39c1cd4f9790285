package dev.memwarden.testing;

import static java.util.stream.Collectors.joining;

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

/**
 * A module's public API as text: every public type in its compiled classes outside the packages left out, and its
 * public and protected members, one line each, sorted. A module's test compares it with the shape recorded in its
 * {@code api/} folder, so that a change to the API shows in review.
 */
public final class ApiShape {
    private ApiShape() {}

    /**
     * The public API of the classes under {@code classes}, leaving out packages that start with {@code internal}.
     *
     * @param internal a package prefix, e.g. {@code dev.memwarden.internal.}
     */
    public static List<String> of(Path classes, String internal) throws IOException, ClassNotFoundException {
        List<String> lines = new ArrayList<>();
        for (String name : classNames(classes, internal)) {
            Class<?> type = Class.forName(name, false, ApiShape.class.getClassLoader());
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
     * Fails, listing what was added and what was removed or changed, unless the shape of the API under {@code
     * classes} is the one recorded in {@code recorded}. With {@code -Dmemwarden.api.write=true}, records it first.
     */
    public static void verify(Path classes, String internal, Path recorded) throws IOException, ClassNotFoundException {
        List<String> shape = of(classes, internal);
        if (Boolean.getBoolean("memwarden.api.write")) {
            Files.write(recorded, shape);
        }
        List<String> before = Files.readAllLines(recorded);
        List<String> added = new ArrayList<>(shape);
        added.removeAll(before);
        List<String> removed = new ArrayList<>(before);
        removed.removeAll(shape);
        if (!added.isEmpty() || !removed.isEmpty()) {
            throw new AssertionError("the public API is not the shape recorded in " + recorded
                    + "; if the change is meant, rewrite it with -Dmemwarden.api.write=true and review the diff"
                    + "\nadded:\n" + String.join("\n", added) + "\nremoved or changed:\n" + String.join("\n", removed));
        }
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

    private static List<String> classNames(Path classes, String internal) throws IOException {
        try (Stream<Path> files = Files.walk(classes)) {
            return files.filter(f -> f.toString().endsWith(".class"))
                    .map(f -> classes.relativize(f).toString().replace('/', '.').replace(".class", ""))
                    .filter(name -> !name.startsWith(internal) && !name.endsWith("package-info"))
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
