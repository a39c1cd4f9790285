package dev.memwarden.hprof.internal.analysis;

import dev.memwarden.hprof.ClassHistogram;
import dev.memwarden.hprof.ClassHistogram.Row;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/** How a histogram names the loader of a class where two loaders loaded classes of one name. */
final class LoaderNames {
    private LoaderNames() {}

    /**
     * A loader as {@link Row#classLoader} names it: {@link ClassHistogram#BOOTSTRAP_LOADER}, or its class (where known)
     * and identifier.
     */
    static String loaderName(long loaderId, @Nullable String loaderClass) {
        if (loaderId == 0) {
            return ClassHistogram.BOOTSTRAP_LOADER;
        }
        String id = String.format(Locale.ROOT, "0x%x", loaderId);
        return loaderClass == null ? id : loaderClass + " " + id;
    }

    /**
     * The rows, each given its loader from {@code loaders} (at the same index) where another row has the same class
     * name.
     */
    static List<Row> namingLoadersWhereNamesRepeat(List<Row> rows, List<Optional<String>> loaders) {
        Map<String, Long> rowsByName =
                rows.stream().collect(Collectors.groupingBy(Row::className, Collectors.counting()));
        List<Row> named = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            Row row = rows.get(i);
            named.add(
                    rowsByName.getOrDefault(row.className(), 1L) > 1
                            ? new Row(
                                    row.className(),
                                    row.instances(),
                                    row.shallowBytes(),
                                    row.retainedBytes(),
                                    loaders.get(i))
                            : row);
        }
        return named;
    }
}
