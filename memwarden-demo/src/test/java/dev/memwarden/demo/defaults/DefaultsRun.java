package dev.memwarden.demo.defaults;

import dev.memwarden.leak.LeakReport;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a {@link DefaultsService} run printed, and how it is judged: a leak must be reported before its limit, with the
 * right kind of suspect named by then; a healthy shape must never be CONFIRMED and must end with no leak reported.
 *
 * @param reports every VERDICT line, in order
 * @param limitMillis when the leak reached its limit, if it did
 * @param last the report at the end of the run
 */
public record DefaultsRun(
        Scenario scenario,
        List<Report> reports,
        Optional<Long> limitMillis,
        Optional<String> limit,
        Optional<LeakReport> last) {

    /** One VERDICT line. */
    public record Report(
            long millis,
            String verdict,
            double confidence,
            double usedShare,
            Optional<Long> exhaustionSeconds,
            boolean rightSuspect,
            String topSuspect) {

        static Report parse(String line) {
            String[] f = line.split(" ", 8);
            return new Report(
                    Long.parseLong(f[1]),
                    f[2],
                    Double.parseDouble(f[3]),
                    f[4].equals("-") ? Double.NaN : Double.parseDouble(f[4]),
                    f[5].equals("-") ? Optional.empty() : Optional.of(Long.parseLong(f[5])),
                    Boolean.parseBoolean(f[6]),
                    f[7]);
        }

        boolean reportsALeak() {
            return !verdict.equals("NONE");
        }
    }

    public static DefaultsRun parse(Scenario scenario, String output) {
        List<Report> reports = new ArrayList<>();
        Optional<Long> limitMillis = Optional.empty();
        Optional<String> limit = Optional.empty();
        Optional<LeakReport> last = Optional.empty();
        for (String line : output.lines().toList()) {
            if (line.startsWith("REPORT ")) {
                last = Optional.of(LeakReport.fromJson(line.substring("REPORT ".length())));
            }
            if (line.startsWith("VERDICT ")) {
                reports.add(Report.parse(line));
            } else if (line.startsWith("LIMIT ")) {
                String[] f = line.split(" ", 3);
                limitMillis = Optional.of(Long.parseLong(f[1]));
                limit = Optional.of(f.length > 2 ? f[2] : "");
            }
        }
        return new DefaultsRun(scenario, List.copyOf(reports), limitMillis, limit, last);
    }

    /** The first report of a leak, at any verdict. */
    public Optional<Report> firstReport() {
        return reports.stream().filter(Report::reportsALeak).findFirst();
    }

    /** The first report that names the right kind of suspect. */
    public Optional<Report> firstRightReport() {
        return reports.stream()
                .filter(r -> r.reportsALeak() && r.rightSuspect())
                .findFirst();
    }

    /** The first report led by the holder a heap dump named. */
    public Optional<Report> firstHolder() {
        return reports.stream()
                .filter(r -> r.topSuspect().startsWith(LeakReport.Kind.HOLDER.name()))
                .findFirst();
    }

    public Optional<Report> firstConfirmed() {
        return reports.stream().filter(r -> r.verdict().equals("CONFIRMED")).findFirst();
    }

    public String finalVerdict() {
        return reports.isEmpty() ? "NONE" : reports.get(reports.size() - 1).verdict();
    }

    /** Whether the last report names the holder of a heap leak in some suspect's path from a GC root. */
    public boolean holderNamed() {
        return !scenario.holder().isEmpty()
                && last.stream()
                        .flatMap(report -> report.suspects().stream())
                        .map(LeakReport.Suspect::gcRootPath)
                        .filter(java.util.Objects::nonNull)
                        .flatMap(List::stream)
                        .anyMatch(step -> step.contains(scenario.holder()));
    }

    /** What went wrong; empty when the run was right. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (scenario.leaks()) {
            long limitAt = limitMillis.orElse(Long.MAX_VALUE);
            Optional<Report> right = firstRightReport().filter(r -> r.millis() < limitAt);
            if (right.isEmpty()) {
                problems.add("no report named " + scenario.expected() + " before "
                        + limitMillis
                                .map(m -> "its limit, at " + m / 1000 + " s")
                                .orElse("the end"));
            }
        } else {
            if (limit.isPresent()) {
                problems.add("a healthy shape reached a limit: " + limit.get());
            }
            firstConfirmed()
                    .ifPresent(r -> problems.add("CONFIRMED at " + r.millis() / 1000 + " s: " + r.topSuspect()));
            if (!finalVerdict().equals("NONE")) {
                problems.add("ended " + finalVerdict());
            }
        }
        return problems;
    }
}
