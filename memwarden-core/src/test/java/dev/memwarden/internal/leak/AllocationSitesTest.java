package dev.memwarden.internal.leak;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memwarden.leak.LeakReport;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Layer 5 against this JVM's own JFR: real samples, real allocation stacks, real paths to GC roots. */
class AllocationSitesTest {
    private static final List<byte[]> RETAINED = new ArrayList<>();
    private static final List<GcClassHistogram> RETAINED_HISTOGRAMS = new ArrayList<>();
    private static long garbage;

    @AfterEach
    void release() {
        RETAINED.clear();
    }

    @Test
    void namesTheMethodThatAllocatesWhatStaysAliveAndThePathThatKeepsIt() {
        try (AllocationSites sites = AllocationSites.start(true)) {
            // Enough that new samples displace what the sampler may still hold from earlier tests in this JVM.
            for (int i = 0; i < 150_000; i++) {
                retainHere();
                garbage += new byte[4096].length; // short-lived: sampled too, but gone by the dump
            }
            List<LeakReport.Suspect> suspects = sites.suspects(Set.of(), Duration.ZERO);

            assertThat(suspects).isNotEmpty().hasSizeLessThanOrEqualTo(AllocationSites.MAX_SUSPECTS);
            LeakReport.Suspect top = suspects.get(0);
            assertThat(top.kind()).isEqualTo(LeakReport.Kind.ALLOCATION_SITE);
            // The byte arrays, or the list's own backing array as it grows: both are allocated there and kept.
            assertThat(top.name())
                    .matches("(byte|java\\.lang\\.Object)\\[\\] allocated at "
                            + AllocationSitesTest.class.getName().replace("$", "\\$") + "\\.retainHere:\\d+");
            assertThat(top.allocationStack()).isNotNull().first().asString().contains("retainHere");
            assertThat(top.gcRootPath())
                    .isNotNull()
                    .anySatisfy(step -> assertThat(step).contains(".RETAINED"))
                    .last()
                    .asString()
                    .containsAnyOf("byte[]", "java.lang.Object[]");
            assertThat(top.evidence()).contains("sampled objects still alive");
        }
    }

    @Test
    void aLambdaFrameIsNamedAfterItsOuterClassWithoutTheAddressJfrGivesIt() {
        // As JFR names them in RecordedClass.getName(): JDK 17's, from a demo report, then JDK 25's.
        assertThat(AllocationSites.readableType(
                        "dev.memwarden.demo.DemoService$$Lambda$164+0x00007fc11c0a4000.925308434"))
                .isEqualTo("dev.memwarden.demo.DemoService$$Lambda");
        assertThat(AllocationSites.readableType("dev.memwarden.demo.DemoService$$Lambda.0x0000000099045210"))
                .isEqualTo("dev.memwarden.demo.DemoService$$Lambda");
        assertThat(AllocationSites.readableType("dev.memwarden.demo.ChatSessions$ChatMessage"))
                .isEqualTo("dev.memwarden.demo.ChatSessions$ChatMessage");
    }

    @Test
    void withoutOldObjectSamplesAGrowingClassIsJoinedWithWhereItIsAllocated() {
        try (AllocationSites sites = AllocationSites.start(false)) {
            for (int i = 0; i < 40_000; i++) {
                retainHere();
            }
            assertThat(sites.samplesOldObjects()).isFalse();
            assertThat(sites.suspects(Set.of(), Duration.ZERO))
                    .as("no class grows: nothing to join")
                    .isEmpty();

            // Allocation samples are throttled (50 a second): keep allocating until some are in, within a deadline.
            List<LeakReport.Suspect> suspects = List.of();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (suspects.isEmpty() && System.nanoTime() < deadline) {
                for (int i = 0; i < 20_000; i++) {
                    retainHere();
                }
                suspects = sites.suspects(Set.of("byte[]"), Duration.ZERO);
            }

            assertThat(suspects).isNotEmpty();
            assertThat(suspects.get(0).name()).contains("retainHere");
            assertThat(suspects.get(0).evidence()).contains("byte[] grows").contains("% of its sampled allocations");
            assertThat(suspects.get(0).gcRootPath()).isNull();
        }
    }

    @Test
    void collectorsThatMakeOldObjectSamplingUnsafeAreRecognised() {
        assertThat(AllocationSites.oldObjectSamplingSafe(List.of("G1 Young Generation", "G1 Old Generation")))
                .isTrue();
        assertThat(AllocationSites.oldObjectSamplingSafe(List.of("ZGC Cycles", "ZGC Pauses")))
                .isTrue();
        assertThat(AllocationSites.oldObjectSamplingSafe(List.of("ZGC Minor Cycles", "ZGC Major Cycles")))
                .isFalse();
        assertThat(AllocationSites.oldObjectSamplingSafe(List.of("Shenandoah Cycles", "Shenandoah Pauses")))
                .isFalse();
    }

    @Test
    void jvmTypeNamesReadAsJava() {
        assertThat(AllocationSites.typeName("[B")).isEqualTo("byte[]");
        assertThat(AllocationSites.typeName("[[Ljava.lang.String;")).isEqualTo("java.lang.String[][]");
        assertThat(AllocationSites.typeName("a.B")).isEqualTo("a.B");
        // Class histograms print the same JVM names, with the module after them; both layers name classes alike.
        assertThat(GcClassHistogram.className("[B (java.base@17.0.17)")).isEqualTo("byte[]");
        assertThat(GcClassHistogram.className("[Ljava.lang.Object; (java.base@17.0.17)"))
                .isEqualTo("java.lang.Object[]");
        assertThat(GcClassHistogram.className("dev.memwarden.demo.ChatSessions$ChatMessage"))
                .isEqualTo("dev.memwarden.demo.ChatSessions$ChatMessage");
    }

    /**
     * What the detector keeps of its own histograms is alive when it samples: seen by the old-object sampler, it
     * would be blamed as the leak (a false alarm under Parallel GC named "byte[] allocated at GcClassHistogram.parse").
     */
    @Test
    void memwardensOwnAllocationsAreNeverASite() {
        String text = " num     #instances         #bytes  class name (module)\n"
                + "   1:         12345        6789012  com.acme.SomeRatherLongClassNameThatTakesABuffer\n";
        try (AllocationSites sites = AllocationSites.start(true)) {
            for (int i = 0; i < 100_000; i++) {
                RETAINED_HISTOGRAMS.add(GcClassHistogram.parse(Instant.EPOCH, text, 10));
                if (RETAINED_HISTOGRAMS.size() > 50_000) {
                    RETAINED_HISTOGRAMS.subList(0, 25_000).clear();
                }
            }
            assertThat(sites.samplesOldObjects()).isTrue();
            // The test's own list of them is the test's: only the parsing inside memwarden must never be blamed.
            String parsing = GcClassHistogram.class.getName() + ".";
            for (Set<String> growing : List.of(Set.<String>of(), Set.of("java.lang.String", "byte[]"))) {
                assertThat(sites.suspects(growing, Duration.ZERO))
                        .allSatisfy(suspect ->
                                assertThat(suspect.allocationStack()).noneMatch(frame -> frame.startsWith(parsing)));
            }
        } finally {
            RETAINED_HISTOGRAMS.clear();
        }
    }

    /** In a demo run, the buffers of leaked SSE connections (the JDK's HTTP server allocates them) took all three. */
    @Test
    void whereTheFirstSitesAreAllInTheJdkTheLastPlaceGoesToTheServicesOwnCode() {
        String deliver = "dev.acme.Feed$Client.deliver:88";
        Map<String, AllocationSites.Site> jdkFirst = new LinkedHashMap<>();
        site(jdkFirst, 40, "sun.net.httpserver.Request$ReadStream.<init>:80");
        site(jdkFirst, 30, "java.io.BufferedOutputStream.<init>:70");
        site(jdkFirst, 20, "sun.nio.ch.NioSocketImpl.read:300");
        site(jdkFirst, 10, "java.util.Arrays.copyOf:3500", deliver);
        assertThat(AllocationSites.ranked(jdkFirst, Set.of("byte[]")))
                .extracting(site -> site.frames.get(site.frames.size() - 1))
                .containsExactly(
                        "sun.net.httpserver.Request$ReadStream.<init>:80",
                        "java.io.BufferedOutputStream.<init>:70",
                        deliver);

        Map<String, AllocationSites.Site> ownAmongThem = new LinkedHashMap<>();
        site(ownAmongThem, 40, "sun.net.httpserver.Request$ReadStream.<init>:80");
        site(ownAmongThem, 35, "java.util.Arrays.copyOf:3500", deliver);
        site(ownAmongThem, 30, "java.io.BufferedOutputStream.<init>:70");
        site(ownAmongThem, 20, "sun.nio.ch.NioSocketImpl.read:300");
        assertThat(AllocationSites.ranked(ownAmongThem, Set.of("byte[]")))
                .as("ranked by weight alone once the service's code is among the first")
                .extracting(site -> site.weight)
                .containsExactly(40L, 35L, 30L);
    }

    /**
     * Measured in the demo's SSE leak under Parallel: frames kept for every dropped client pile up faster as clients
     * keep dropping, so few of their samples are old, where the connections' buffers, one set per client, age
     * evenly. Weighed by their old samples alone, the frames fell below a twentieth and were not named.
     */
    @Test
    void whileTheLiveSetRisesSitesWithOldSamplesRankByAllTheirSamplesAndTheOthersAreNotNamed() {
        String frames = "dev.acme.Feed$Client.deliver:56";
        String buffers = "java.io.BufferedInputStream.<init>:201";
        String bodies = "dev.acme.Service.body:40";
        Map<String, AllocationSites.Site> sites = new LinkedHashMap<>();
        aged(sites, buffers, 21, 12);
        aged(sites, frames, 29, 4);
        aged(sites, bodies, 40, 0);
        assertThat(AllocationSites.weighByAge(sites, Set.of("byte[]"), true)).isTrue();
        assertThat(AllocationSites.ranked(sites, Set.of("byte[]")))
                .extracting(site -> site.frames.get(0))
                .containsExactly(frames, buffers);

        Map<String, AllocationSites.Site> allYoung = new LinkedHashMap<>();
        aged(allYoung, frames, 29, 0);
        aged(allYoung, bodies, 40, 0);
        assertThat(AllocationSites.weighByAge(allYoung, Set.of("byte[]"), true))
                .as("nothing lived through half the rise yet")
                .isFalse();
        assertThat(AllocationSites.ranked(allYoung, Set.of("byte[]")))
                .extracting(site -> site.frames.get(0))
                .containsExactly(bodies, frames);

        assertThat(AllocationSites.weighByAge(sites, Set.of("byte[]"), false))
                .as("no rise")
                .isFalse();
        assertThat(AllocationSites.ranked(sites, Set.of("byte[]")))
                .extracting(site -> site.frames.get(0))
                .containsExactly(bodies, frames, buffers);
    }

    private static void aged(Map<String, AllocationSites.Site> sites, String frame, long samples, long settled) {
        AllocationSites.Site site = new AllocationSites.Site("byte[]", List.of(frame));
        site.samples = samples;
        site.settled = settled;
        sites.put(frame, site);
    }

    private static void site(Map<String, AllocationSites.Site> sites, long weight, String... frames) {
        AllocationSites.Site site = new AllocationSites.Site("byte[]", List.of(frames));
        site.weight = weight;
        sites.put(String.join("|", frames), site);
    }

    private static void retainHere() {
        RETAINED.add(new byte[1024]);
        if (RETAINED.size() > 200_000) {
            RETAINED.subList(0, 100_000).clear(); // bounded, so that the polling test cannot exhaust the heap
        }
    }
}
