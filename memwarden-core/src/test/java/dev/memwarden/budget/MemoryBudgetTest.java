package dev.memwarden.budget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MemoryBudgetTest {
    private static final long MB = 1 << 20;

    private static long item(MemoryBudget budget, String name) {
        return budget.items().stream()
                .filter(i -> i.name().equals(name))
                .findFirst()
                .orElseThrow()
                .bytes();
    }

    @Test
    void aHeapOfThreeQuartersWithDirectMemoryUnsetIsOverIn512Megabytes() {
        MemoryBudget budget = MemoryBudget.plan(512 * MB, List.of("-Xmx384m", "-XX:+UseG1GC"), 200);

        assertThat(budget.verdict()).isEqualTo(MemoryBudget.Verdict.OVER);
        assertThat(item(budget, "heap")).isEqualTo(384 * MB);
        assertThat(item(budget, "direct memory")).isEqualTo(384 * MB);
        assertThat(item(budget, "thread stacks")).isEqualTo(200 * MB);
        assertThat(budget.notes()).anyMatch(n -> n.contains("MaxDirectMemorySize is unset"));
        assertThat(budget.recommendedFlags())
                .contains("-XX:+ExitOnOutOfMemoryError", "-XX:+HeapDumpOnOutOfMemoryError")
                .anyMatch(f -> f.startsWith("-XX:MaxRAMPercentage="));
        assertThat(budget.describe())
                .contains("OVER")
                .contains("planned container")
                .contains("recommended:");
    }

    @Test
    void theRecommendedFlagsFit() {
        for (long size : List.of(256 * MB, 512 * MB, 1024 * MB, 4096 * MB)) {
            List<String> flags = MemoryBudget.recommend(size, 200);
            MemoryBudget budget = MemoryBudget.plan(size, flags, 200);
            assertThat(budget.verdict()).as("%d MB with %s", size / MB, flags).isEqualTo(MemoryBudget.Verdict.FITS);
            assertThat(item(budget, "direct memory")).isLessThan(item(budget, "heap"));
        }
    }

    @Test
    void maxRamPercentageSizesTheHeapFromTheContainer() {
        MemoryBudget budget = MemoryBudget.plan(
                1024 * MB,
                List.of(
                        "-XX:MaxRAMPercentage=50",
                        "-XX:MaxMetaspaceSize=128m",
                        "-XX:MaxDirectMemorySize=64m",
                        "-XX:ReservedCodeCacheSize=64m",
                        "-Xss512k",
                        "-XX:+UseParallelGC"),
                100);
        assertThat(item(budget, "heap")).isEqualTo(512 * MB);
        assertThat(item(budget, "thread stacks")).isEqualTo(50 * MB);
        assertThat(item(budget, "GC structures")).isEqualTo((long) (512 * MB * 0.03));
        assertThat(budget.total())
                .isEqualTo(512 * MB + 128 * MB + 64 * MB + 64 * MB + 50 * MB + (long) (512 * MB * 0.03) + 48 * MB);
        assertThat(budget.verdict()).isEqualTo(MemoryBudget.Verdict.FITS);
    }

    @Test
    void theRunningJvmHasABudget() {
        MemoryBudget budget = MemoryBudget.ofRunningJvm();
        assertThat(budget.limit()).isPositive();
        assertThat(budget.items())
                .extracting(MemoryBudget.Item::name)
                .containsExactly(
                        "heap",
                        "metaspace",
                        "code cache",
                        "direct memory",
                        "thread stacks",
                        "GC structures",
                        "other native");
        assertThat(item(budget, "heap")).isEqualTo(Runtime.getRuntime().maxMemory());
        assertThat(budget.total())
                .isEqualTo(budget.items().stream()
                        .mapToLong(MemoryBudget.Item::bytes)
                        .sum());
    }

    @Test
    void suggestedLimitsGrowWithTheInstance() {
        List<MemoryBudget.PrimitiveLimits> limits = MemoryBudget.suggestedLimits();
        assertThat(limits)
                .extracting(MemoryBudget.PrimitiveLimits::instanceBytes)
                .containsExactly(256 * MB, 512 * MB, 1024 * MB, 2048 * MB, 4096 * MB);
        assertThat(limits).extracting(MemoryBudget.PrimitiveLimits::cacheBytes).isSorted();
        assertThat(limits.get(0).heapBytes()).isLessThan(limits.get(0).instanceBytes());
        assertThat(limits.get(1).sseClients()).isPositive();
    }

    @Test
    void theDocumentedTableOfSuggestedLimitsIsWhatTheCodeSays() throws java.io.IOException {
        String readme = java.nio.file.Files.readString(java.nio.file.Path.of("..", "docs", "memory-budget.md"));
        for (MemoryBudget.PrimitiveLimits l : MemoryBudget.suggestedLimits()) {
            long mb = l.instanceBytes() / MB;
            String size = mb < 1024 ? mb + " MB" : mb / 1024 + " GB";
            String row = String.format(
                    java.util.Locale.ROOT,
                    "| %s | %,d | %,d | %,d | %,d | %,d |",
                    size,
                    Math.round(l.heapBytes() / (double) MB),
                    Math.round(l.cacheBytes() / (double) MB),
                    l.queueElements(),
                    l.sseClients(),
                    l.ringBufferElements());
            assertThat(readme).contains(row);
        }
    }

    @Test
    void theDocumentedSampleBudgetIsWhatTheCodePrints() throws java.io.IOException {
        String readme = java.nio.file.Files.readString(java.nio.file.Path.of("..", "docs", "memory-budget.md"));
        String printed = MemoryBudget.plan(512 * MB, List.of("-Xmx384m"), 200).describe();
        printed.lines().forEach(line -> assertThat(readme).contains(line));
    }

    @Test
    void nmtSummaryIsParsed() {
        String summary =
                """
                Native Memory Tracking:

                Total: reserved=1733453KB, committed=112569KB
                -                 Java Heap (reserved=262144KB, committed=16384KB)
                                            (mmap: reserved=262144KB, committed=16384KB)

                -                     Class (reserved=1048690KB, committed=242KB)
                                            (classes #592)
                -                    Thread (reserved=19551KB, committed=1023KB)
                                            (thread #19)
                -                        GC (reserved=50123KB, committed=40011KB)
                -                  Compiler (reserved=160KB, committed=160KB)
                """;
        Map<String, Long> categories = MemoryBudget.parseNmtSummary(summary);
        assertThat(categories)
                .containsEntry("Java Heap", 16384L * 1024)
                .containsEntry("GC", 40011L * 1024)
                .containsEntry("Compiler", 160L * 1024)
                .hasSize(5);
    }

    @Test
    void badFlagsAreRefusedWithTheFlagNamed() {
        assertThatThrownBy(() -> MemoryBudget.plan(512 * MB, List.of("-Xmx12q"), 10))
                .hasMessageContaining("-Xmx12q")
                .hasMessageContaining("512m, 2g");
        assertThatThrownBy(() -> MemoryBudget.plan(16 * MB, List.of(), 10)).hasMessageContaining("too small");
    }
}
