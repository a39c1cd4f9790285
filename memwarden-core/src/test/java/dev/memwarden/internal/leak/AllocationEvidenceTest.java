package dev.memwarden.internal.leak;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memwarden.leak.LeakReport;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Layer 5 as the detector paces it, over a scripted source. */
class AllocationEvidenceTest {
    private final List<Set<String>> asked = new ArrayList<>();
    private final AllocationSource source = (growing, risingFor) -> {
        asked.add(Set.copyOf(growing));
        return List.of(site("int[] allocated at Sessions.add:" + asked.size()));
    };

    private static LeakReport.Suspect site(String name) {
        return new LeakReport.AllocationSite(name, "evidence", "next", List.of("a.B.c:1"), null);
    }

    private static LeakReport.Suspect aClass(String name) {
        return new LeakReport.GrowingClass(name, 1.0, 1.0, "grew", "next");
    }

    @Test
    void withHistogramsItWaitsForAClassToBeNamed() {
        AllocationEvidence evidence =
                new AllocationEvidence(source, new OwnClassLoads(() -> 0), true, Duration.ofMinutes(5));

        assertThat(evidence.suspects(Instant.ofEpochSecond(0), List.of(), Duration.ZERO))
                .isEmpty();
        assertThat(asked).isEmpty();

        List<LeakReport.Suspect> sites =
                evidence.suspects(Instant.ofEpochSecond(10), List.of(aClass("int[]")), Duration.ZERO);
        assertThat(sites).extracting(LeakReport.Suspect::name).containsExactly("int[] allocated at Sessions.add:1");
        assertThat(asked).containsExactly(Set.of("int[]"));
    }

    @Test
    void theRecordingIsReadOncePerIntervalAndItsSitesKeptBetween() {
        AllocationEvidence evidence =
                new AllocationEvidence(source, new OwnClassLoads(() -> 0), false, Duration.ofMinutes(5));
        evidence.suspects(Instant.ofEpochSecond(0), List.of(), Duration.ZERO);
        List<LeakReport.Suspect> kept = evidence.suspects(Instant.ofEpochSecond(299), List.of(), Duration.ZERO);
        assertThat(asked).hasSize(1);
        assertThat(kept).extracting(LeakReport.Suspect::name).containsExactly("int[] allocated at Sessions.add:1");

        evidence.suspects(Instant.ofEpochSecond(300), List.of(), Duration.ZERO);
        assertThat(asked).hasSize(2);
        assertThat(evidence.last())
                .extracting(LeakReport.Suspect::name)
                .containsExactly("int[] allocated at Sessions.add:2");

        evidence.forget();
        assertThat(evidence.last()).isEmpty();
    }

    @Test
    void itKeepsAtMostThreeSites() {
        AllocationSource many = (growing, risingFor) -> List.of(site("a"), site("b"), site("c"), site("d"));
        AllocationEvidence evidence =
                new AllocationEvidence(many, new OwnClassLoads(() -> 0), false, Duration.ofMinutes(5));
        assertThat(evidence.suspects(Instant.EPOCH, List.of(), Duration.ZERO)).hasSize(AllocationSites.MAX_SUSPECTS);
    }

    @Test
    void withoutARecordingThereAreNoSites() {
        AllocationEvidence evidence =
                new AllocationEvidence(null, new OwnClassLoads(() -> 0), false, Duration.ofMinutes(5));
        assertThat(evidence.suspects(Instant.EPOCH, List.of(aClass("int[]")), Duration.ZERO))
                .isEmpty();
        assertThat(evidence.last()).isEmpty();
    }

    @Test
    void aRecordingOnSuspicionStartsAtTheFirstSuspicionAndIsReadOnlyOnceItHasRecordedForAWhile() {
        List<Instant> started = new ArrayList<>();
        RecordingOnSuspicion later = new RecordingOnSuspicion(() -> {
            started.add(Instant.now());
            return source;
        });
        AllocationEvidence evidence =
                new AllocationEvidence(later, new OwnClassLoads(() -> 0), false, Duration.ofMinutes(5));
        assertThat(later.recording())
                .as("nothing is recorded before a suspicion")
                .isFalse();

        assertThat(evidence.suspects(Instant.ofEpochSecond(100), List.of(), Duration.ZERO))
                .isEmpty();
        assertThat(later.recording()).isTrue();
        assertThat(asked).as("just begun, it holds too little to read").isEmpty();

        evidence.suspects(Instant.ofEpochSecond(110), List.of(), Duration.ZERO);
        assertThat(asked).isEmpty();
        List<LeakReport.Suspect> sites = evidence.suspects(
                Instant.ofEpochSecond(100).plus(RecordingOnSuspicion.FIRST_READING_AFTER), List.of(), Duration.ZERO);
        assertThat(sites).extracting(LeakReport.Suspect::name).containsExactly("int[] allocated at Sessions.add:1");
        assertThat(started).as("started once").hasSize(1);

        evidence.close();
        assertThat(later.recording()).isFalse();
        later.begin(Instant.ofEpochSecond(500));
        assertThat(started).as("not again once closed").hasSize(1);
    }

    @Test
    void aRecordingThatCannotStartIsTriedOnce() {
        List<Instant> tried = new ArrayList<>();
        RecordingOnSuspicion later = new RecordingOnSuspicion(() -> {
            tried.add(Instant.now());
            throw new IllegalStateException("JFR is not available in this JVM");
        });
        later.begin(Instant.ofEpochSecond(0));
        later.begin(Instant.ofEpochSecond(60));
        assertThat(tried).hasSize(1);
        assertThat(later.ready(Instant.ofEpochSecond(60))).isFalse();
    }
}
