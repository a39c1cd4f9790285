package dev.memwarden.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memwarden.leak.LeakReport;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The judge itself: a run it calls right must be one, so each way a run can go wrong is shown to it once. */
class ScenarioJudgeTest {
    private static final LeakReport.Suspect SESSIONS_RESOURCE =
            new LeakReport.Resource("chat-sessions", null, 1.0, "grew", "bound it", null);
    private static final LeakReport.Suspect SESSIONS_SITE = new LeakReport.AllocationSite(
            "byte[]",
            "alive",
            "bound it",
            List.of("dev.memwarden.demo.ChatSessions.append(ChatSessions.java:80)"),
            null);

    /** A report as the demo prints it with {@code --json}. */
    private static String report(String verdict, LeakReport.Suspect... suspects) {
        return new LeakReport(
                        LeakReport.Verdict.valueOf(verdict),
                        0.99,
                        Instant.EPOCH,
                        new LeakReport.LiveSet(1 << 20, 0, null, null),
                        List.of(suspects))
                .toJson();
    }

    private static String leakRun(String verdict, LeakReport.Suspect... suspects) {
        return "memwarden demo: service on http://127.0.0.1:1234\n"
                + "memwarden found a leak after 41s:\n"
                + "...\n"
                + report(verdict, suspects) + "\n";
    }

    @Test
    void aLeakNamedWithItsAllocationStackIsRight() {
        assertThat(ScenarioJudge.problems(Leak.SESSIONS, leakRun("CONFIRMED", SESSIONS_RESOURCE, SESSIONS_SITE)))
                .isEmpty();
        ScenarioJudge.DemoRun run = ScenarioJudge.DemoRun.parse(leakRun("CONFIRMED", SESSIONS_RESOURCE, SESSIONS_SITE));
        assertThat(run.suspects()).containsExactly("RESOURCE chat-sessions", "ALLOCATION_SITE byte[]");
        assertThat(run.firstReportAfter()).contains("41s");
    }

    @Test
    void aLeakBlamedOnSomethingElseOrWithoutItsStackIsWrong() {
        LeakReport.Suspect other = new LeakReport.OffHeap("threads", null, 1.0, "grew", "stop them");
        assertThat(ScenarioJudge.problems(Leak.SESSIONS, leakRun("SUSPECTED", SESSIONS_RESOURCE, SESSIONS_SITE, other)))
                .containsExactly("blamed wrongly: [OFF_HEAP threads]");
        assertThat(ScenarioJudge.problems(Leak.SESSIONS, leakRun("SUSPECTED", SESSIONS_RESOURCE)))
                .containsExactly("no allocation-site suspect", "no allocation stack through ChatSessions.append");
        assertThat(ScenarioJudge.problems(Leak.DEAD_LETTERS, leakRun("SUSPECTED", SESSIONS_RESOURCE)))
                .contains("no suspect RESOURCE dead-letters among [RESOURCE chat-sessions]");
        assertThat(ScenarioJudge.problems(Leak.SESSIONS, "no report at all"))
                .containsExactly("no JSON report in the output");
    }

    @Test
    void aHealthyServiceReportedAtAnyCheckIsWrong() {
        String quiet = "no leak found: live set flat\n" + report("NONE") + "\n";
        assertThat(ScenarioJudge.problems(Leak.NONE, quiet)).isEmpty();
        assertThat(ScenarioJudge.problems(Leak.NONE, "memwarden found a leak after 1m 10s:\n" + quiet))
                .containsExactly("a leak was reported after 1m 10s");
    }

    @Test
    void aShapeIsRightOnlyWithEnoughQuietChecksAndALiveSetThatMoved() {
        StringBuilder quiet = new StringBuilder();
        for (int s = 10; s <= 60; s += 10) {
            quiet.append("CHECK ").append(s).append("s NONE []\n");
        }
        String end = "LIVE-SET-RANGE 10000000 40000000\nFINAL " + report("NONE") + "\n";
        assertThat(ScenarioJudge.problems(HealthyShapes.Shape.SAWTOOTH, quiet + end))
                .isEmpty();
        assertThat(ScenarioJudge.problems(
                        HealthyShapes.Shape.SAWTOOTH, quiet + "CHECK 70s SUSPECTED [CLASS byte[]]\n" + end))
                .containsExactly("a false alarm: CHECK 70s SUSPECTED [CLASS byte[]]");
        assertThat(ScenarioJudge.problems(HealthyShapes.Shape.SAWTOOTH, quiet + end.replace("40000000", "12000000")))
                .containsExactly("the live set moved 1 MiB, less than 16: the run proved nothing");
        assertThat(ScenarioJudge.problems(HealthyShapes.Shape.SAWTOOTH, "CHECK 10s NONE []\n" + end))
                .containsExactly("sawtooth: 1 checks, fewer than 6");
    }
}
