package dev.memwarden.leak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The leak report's JSON, written and read back. */
class LeakReportJsonTest {
    private static final LeakReport REPORT = new LeakReport(
            LeakReport.Verdict.CONFIRMED,
            0.9995,
            Instant.parse("2026-11-23T00:29:50Z"),
            new LeakReport.LiveSet(200L << 20, 1.5e8, 3600L, null),
            List.of(
                    new LeakReport.Holder(
                            "static a.B.SESSIONS",
                            "a HashMap of 1,000 a.Session, retains 80.0 MiB",
                            "bound it",
                            List.of("GC root: sticky class a.B", "a.B.SESSIONS")),
                    new LeakReport.AllocationSite(
                            "int[] allocated at a.B.c:82",
                            "113 of 193 \"sampled\" objects\nstill alive\t\u0001",
                            "bound it",
                            List.of("a.B.c:82", "a.B.d:63"),
                            List.of("GC root: Stack Variable", "a.B.sessions")),
                    new LeakReport.Resource("sessions", 2048.0, 40.0, "grew", "bound it", null),
                    new LeakReport.GrowingClass("int[]", 4096.0, 12.0, "grew", "find what keeps them"),
                    new LeakReport.OffHeap("threads", null, 30.0, "rose", "stop them")));

    @Test
    void aReportReadsBackAsItWasWritten() {
        assertThat(LeakReport.fromJson(REPORT.toJson())).isEqualTo(REPORT);
    }

    @Test
    void theJsonKeepsItsDocumentedShape() {
        String json = REPORT.toJson();
        assertThat(json)
                .startsWith("{\"verdict\":\"CONFIRMED\",\"confidence\":0.9995,\"checkedAt\":\"2026-11-23T00:29:50Z\"")
                .contains("\"liveSet\":{\"bytes\":209715200,\"growthBytesPerHour\":150000000,"
                        + "\"timeToExhaustionSeconds\":3600,\"timeToContainerLimitSeconds\":null}")
                .contains("\"evidence\":\"113 of 193 \\\"sampled\\\" objects\\nstill alive\\t\\u0001\"")
                .contains("{\"kind\":\"RESOURCE\",\"name\":\"sessions\",\"growthBytesPerHour\":2048,")
                .endsWith("\"allocationStack\":null,\"gcRootPath\":null}]}");
    }

    @Test
    void fieldsItDoesNotKnowAreSkipped() {
        String newer = REPORT.toJson().replace("{\"verdict\"", "{\"schema\":{\"v\":[2,3]},\"verdict\"");
        assertThat(LeakReport.fromJson(newer)).isEqualTo(REPORT);
    }

    @Test
    void whatIsNotAReportIsRefusedNamingTheProblem() {
        assertThatThrownBy(() -> LeakReport.fromJson("{\"verdict\":\"MAYBE\"}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("verdict is 'MAYBE', not one of [NONE, SUSPECTED, CONFIRMED]");
        assertThatThrownBy(() -> LeakReport.fromJson("{\"verdict\":\"NONE\",\"confidence\":1}"))
                .hasMessageContaining("a leak report needs checkedAt");
        assertThatThrownBy(() -> LeakReport.fromJson("{\"verdict\":"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("line 1");
        assertThatThrownBy(() -> LeakReport.fromJson("[]")).hasMessageContaining("a leak report: expected {");
    }
}
