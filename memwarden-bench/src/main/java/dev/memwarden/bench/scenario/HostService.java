package dev.memwarden.bench.scenario;

import com.sun.management.OperatingSystemMXBean;
import dev.memwarden.Memwarden;
import dev.memwarden.MemwardenConfig;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.JMException;
import javax.management.ObjectName;
import org.jspecify.annotations.Nullable;

/**
 * A child JVM of {@link HostOverhead}: one thread handles requests as fast as it can against a session store of
 * 20,000 entries (about 15 MB live; the rest is garbage, about 4 % of the time in GC pauses in a 512 MB heap), with or
 * without memwarden, and prints one line with what it did and what it cost over the measured seconds.
 *
 * <p>Arguments: {@code plain | layers | jfr}, warm-up seconds, measured seconds.
 */
public final class HostService {
    private static final int SESSIONS = 20_000;
    private static final Pattern TRACING = Pattern.compile("Tracing \\(reserved=\\d+KB, committed=(\\d+)KB\\)");

    /** memwarden's own thread: samples, health rules and the leak checks. */
    private static final String SAMPLER_THREAD = "memwarden-sampler";

    /** The JDK thread that builds a GC notification per collection once anyone listens, as memwarden does. */
    private static final String NOTIFICATION_THREAD = "Notification Thread";

    private HostService() {}

    /** The CPU time of the live thread of this name, in ns; 0 if there is none. */
    private static long threadCpu(String name) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (ThreadInfo info : threads.dumpAllThreads(false, false)) {
            if (info.getThreadName().equals(name)) {
                return Math.max(0, threads.getThreadCpuTime(info.getThreadId()));
            }
        }
        return 0;
    }

    /** What a request leaves behind: a session with its last payload. */
    private static final class Session {
        final String user;
        final byte[] lastBody;

        Session(String user, byte[] lastBody) {
            this.user = user;
            this.lastBody = lastBody;
        }
    }

    public static void main(String[] args) throws IOException {
        String mode = args[0];
        long warmUpNanos = TimeUnit.SECONDS.toNanos(Long.parseLong(args[1]));
        long measuredNanos = TimeUnit.SECONDS.toNanos(Long.parseLong(args[2]));
        try (Memwarden memwarden = start(mode)) {
            Map<Long, Session> sessions = new LinkedHashMap<>(SESSIONS * 2, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<Long, Session> eldest) {
                    return size() > SESSIONS;
                }
            };
            SplittableRandom random = new SplittableRandom(42);
            long warmUpOps = serve(sessions, random, warmUpNanos);
            OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            long cpuBefore = os.getProcessCpuTime();
            long samplerBefore = threadCpu(SAMPLER_THREAD);
            long notificationsBefore = threadCpu(NOTIFICATION_THREAD);
            long start = System.nanoTime();
            long ops = serve(sessions, random, measuredNanos);
            long elapsed = System.nanoTime() - start;
            long cpu = os.getProcessCpuTime() - cpuBefore;
            long sampler = threadCpu(SAMPLER_THREAD) - samplerBefore;
            long notifications = threadCpu(NOTIFICATION_THREAD) - notificationsBefore;
            System.out.printf(
                    "RESULT %d %d %d %d %d %d %d %d %s%n",
                    ops,
                    elapsed,
                    cpu,
                    status("VmRSS:"),
                    tracingKib(),
                    sampler,
                    notifications,
                    warmUpOps,
                    memwarden == null ? "-" : memwarden.leakReport().verdict()); // a healthy host: NONE
        }
    }

    private static @Nullable Memwarden start(String mode) {
        return switch (mode) {
            case "plain" -> null;
            case "layers" -> withAllocationSites("off");
            case "jfr" -> withAllocationSites("on");
            default -> throw new IllegalArgumentException("unknown mode " + mode + "; expected plain, layers or jfr");
        };
    }

    /** Memwarden's defaults, with leak layer 5 (the JFR recording) on or off. */
    private static Memwarden withAllocationSites(String setting) {
        return Memwarden.builder()
                .config(MemwardenConfig.builder()
                        .set("memwarden.leak.allocation.sites", setting)
                        .build())
                .start();
    }

    /** Handles requests until the time is up; returns how many. */
    private static long serve(Map<Long, Session> sessions, SplittableRandom random, long nanos) {
        long until = System.nanoTime() + nanos;
        long ops = 0;
        while (System.nanoTime() < until) {
            for (int i = 0; i < 1000; i++) {
                long user = random.nextLong(SESSIONS * 2L);
                Session previous = sessions.get(user);
                String payload = previous == null
                        ? "{\"user\":" + user + "}"
                        : "{\"user\":\"" + previous.user + "\",\"last\":" + previous.lastBody.length + "}";
                byte[] body = new byte[256 + random.nextInt(256)];
                byte[] text = payload.getBytes(StandardCharsets.UTF_8);
                System.arraycopy(text, 0, body, 0, Math.min(text.length, body.length));
                sessions.put(user, new Session("user-" + user, body));
            }
            ops += 1000;
        }
        return ops;
    }

    /**
     * What Native Memory Tracking counts as Tracing (JFR's buffers and tables) in KiB, or -1 where NMT is off: the
     * parent starts every child with {@code -XX:NativeMemoryTracking=summary}.
     */
    private static long tracingKib() {
        try {
            String summary = (String) ManagementFactory.getPlatformMBeanServer()
                    .invoke(
                            new ObjectName("com.sun.management:type=DiagnosticCommand"),
                            "vmNativeMemory",
                            new Object[] {new String[] {"summary"}},
                            new String[] {String[].class.getName()});
            Matcher tracing = TRACING.matcher(summary);
            return tracing.find() ? Long.parseLong(tracing.group(1)) : -1;
        } catch (JMException e) {
            return -1;
        }
    }

    /** A field of /proc/self/status in KiB, or -1 where there is none. */
    private static long status(String field) throws IOException {
        Path status = Path.of("/proc/self/status");
        if (!Files.isReadable(status)) {
            return -1;
        }
        for (String line : Files.readAllLines(status, StandardCharsets.UTF_8)) {
            if (line.startsWith(field)) {
                return Long.parseLong(line.substring(field.length()).trim().split("\\s+", -1)[0]);
            }
        }
        return -1;
    }
}
