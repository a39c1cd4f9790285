package dev.memwarden.demo.defaults;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.UnixOperatingSystemMXBean;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.locks.LockSupport;
import java.util.zip.Deflater;

/**
 * Leaks outside the heap, each with the limit it runs into: direct buffers cached per connection (the maximum direct
 * memory), a thread started per job that never ends (the process limit), a class loader per tenant (metaspace),
 * files opened and never closed (the descriptor limit) and compressors never ended (the container's memory).
 */
final class OffHeapLeaks {
    private OffHeapLeaks() {}

    /** 64 KB direct buffers, 20 a second, kept: 1.25 MB/s. */
    static final class DirectBuffers implements Workload {
        static final List<ByteBuffer> CACHED = new ArrayList<>();
        private long added;

        @Override
        public void step(long elapsedMillis) throws LimitReached {
            try {
                for (long n = Workload.due(elapsedMillis, 20, added); n > 0; n--) {
                    CACHED.add(ByteBuffer.allocateDirect(64 << 10));
                    added++;
                }
            } catch (OutOfMemoryError e) {
                CACHED.clear();
                throw new LimitReached("direct memory", e);
            }
        }

        @Override
        public double usedShare() {
            long max = maxDirectMemory();
            return ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                    .filter(pool -> pool.getName().equals("direct"))
                    .mapToDouble(pool -> (double) pool.getMemoryUsed() / max)
                    .findFirst()
                    .orElse(Double.NaN);
        }
    }

    /** -XX:MaxDirectMemorySize, or the heap's maximum where it is not set, as the JDK takes it. */
    static long maxDirectMemory() {
        long set = Long.parseLong(ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
                .getVMOption("MaxDirectMemorySize")
                .getValue());
        return set > 0 ? set : Runtime.getRuntime().maxMemory();
    }

    /** A thread per job, 10 a second, that waits forever for a result that never comes. */
    static final class Threads implements Workload {
        private long started;

        @Override
        public void step(long elapsedMillis) throws LimitReached {
            try {
                for (long n = Workload.due(elapsedMillis, 10, started); n > 0; n--) {
                    Thread job = new Thread(LockSupport::park, "job-" + started++);
                    job.setDaemon(true);
                    job.start();
                }
            } catch (OutOfMemoryError e) {
                throw new LimitReached("threads", e);
            }
        }

        @Override
        public double usedShare() {
            return ManagementFactory.getThreadMXBean().getThreadCount() / (double) processLimit();
        }

        /** "Max processes" of /proc/self/limits: threads count against it. */
        static long processLimit() {
            try {
                return Files.readAllLines(Path.of("/proc/self/limits")).stream()
                        .filter(line -> line.startsWith("Max processes"))
                        .map(line ->
                                line.substring("Max processes".length()).trim().split("\\s+", -1)[0])
                        .filter(soft -> !soft.equals("unlimited"))
                        .mapToLong(Long::parseLong)
                        .findFirst()
                        .orElse(Long.MAX_VALUE);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** A class loader per tenant, 40 a second, each defining its own copy of three plugin classes, all kept. */
    static final class TenantLoaders implements Workload {
        static final List<Class<?>> PLUGINS = new ArrayList<>();
        private static final List<Class<?>> TEMPLATES = List.of(Pricing.class, Routing.class, Billing.class);
        private final List<byte[]> templates =
                TEMPLATES.stream().map(TenantLoaders::bytes).toList();
        private long tenants;

        @Override
        public void step(long elapsedMillis) throws LimitReached {
            try {
                for (long n = Workload.due(elapsedMillis, 40, tenants); n > 0; n--) {
                    TenantLoader loader = new TenantLoader("tenant-" + tenants++);
                    for (int i = 0; i < TEMPLATES.size(); i++) {
                        PLUGINS.add(loader.define(TEMPLATES.get(i).getName(), templates.get(i)));
                    }
                }
            } catch (OutOfMemoryError e) {
                PLUGINS.clear();
                throw new LimitReached("metaspace", e);
            }
        }

        @Override
        public double usedShare() {
            return ManagementFactory.getMemoryPoolMXBeans().stream()
                    .filter(pool -> pool.getName().equals("Metaspace"))
                    .map(MemoryPoolMXBean::getUsage)
                    .filter(usage -> usage.getMax() > 0)
                    .mapToDouble(usage -> (double) usage.getUsed() / usage.getMax())
                    .findFirst()
                    .orElse(Double.NaN);
        }

        private static byte[] bytes(Class<?> template) {
            String resource = template.getName().substring(template.getName().lastIndexOf('.') + 1) + ".class";
            try (InputStream in = template.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException("no class file for " + template);
                }
                return in.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static final class TenantLoader extends ClassLoader {
            TenantLoader(String name) {
                super(name, TenantLoaders.class.getClassLoader());
            }

            Class<?> define(String name, byte[] bytes) {
                return defineClass(name, bytes, 0, bytes.length);
            }
        }

        /** What a tenant's plugin looks like: a few methods, each defined again by every tenant's loader. */
        static final class Pricing {
            double price(double base, int quantity) {
                return quantity > 100 ? base * quantity * 0.9 : base * quantity;
            }

            String currency(String country) {
                return switch (country) {
                    case "CH" -> "CHF";
                    case "GB" -> "GBP";
                    case "US" -> "USD";
                    default -> "EUR";
                };
            }
        }

        static final class Routing {
            int shard(String key, int shards) {
                return Math.floorMod(key.hashCode(), shards);
            }

            List<String> replicas(String key) {
                return List.of(key + "-a", key + "-b", key + "-c");
            }
        }

        static final class Billing {
            long cents(double amount) {
                return Math.round(amount * 100);
            }

            String invoice(long id, long cents) {
                return "INV-" + id + ": " + cents / 100 + "." + cents % 100;
            }
        }
    }

    /** Files opened, 20 a second, and never closed. */
    static final class OpenFiles implements Workload {
        static final List<FileChannel> OPEN = new ArrayList<>();
        private long opened;

        @Override
        public void step(long elapsedMillis) throws LimitReached {
            try {
                for (long n = Workload.due(elapsedMillis, 20, opened); n > 0; n--) {
                    OPEN.add(FileChannel.open(Path.of("/dev/null"), StandardOpenOption.READ));
                    opened++;
                }
            } catch (IOException e) {
                throw new LimitReached("file descriptors", e);
            }
        }

        @Override
        public double usedShare() {
            var os = (UnixOperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            return (double) os.getOpenFileDescriptorCount() / os.getMaxFileDescriptorCount();
        }
    }

    /**
     * A compressor per session, 10 a second, used once and kept without {@code end()}: zlib's native state, about
     * 260 KB each, stays allocated while the heap holds only a small {@code Deflater} per session. It runs into the
     * container's memory limit, where the kernel's OOM killer would end the service: it stops itself at 95 % of it.
     */
    static final class NativeCompressors implements Workload {
        static final List<Deflater> SESSIONS = new ArrayList<>();
        private static final byte[] MESSAGE = message();
        private final byte[] compressed = new byte[MESSAGE.length];
        private final long containerLimit = ContainerMemory.limit();
        private long sessions;

        @Override
        public void step(long elapsedMillis) throws LimitReached {
            if (usedShare() >= 0.95) {
                SESSIONS.forEach(Deflater::end);
                SESSIONS.clear();
                throw new LimitReached("container memory", new IllegalStateException("RSS at 95 % of the limit"));
            }
            for (long n = Workload.due(elapsedMillis, 10, sessions); n > 0; n--, sessions++) {
                Deflater deflater = new Deflater();
                deflater.setInput(MESSAGE);
                deflater.finish();
                deflater.deflate(compressed);
                SESSIONS.add(deflater);
            }
        }

        @Override
        public double usedShare() {
            return containerLimit > 0 ? (double) ContainerMemory.rss() / containerLimit : Double.NaN;
        }

        /** 64 KB of text that compresses as a chat message does: zlib's window and hash chains are all touched. */
        private static byte[] message() {
            StringBuilder text = new StringBuilder();
            SplittableRandom random = new SplittableRandom(7);
            String[] words = {"order", "shipped", "invoice", "customer", "refund", "parcel", "delayed", "thanks"};
            while (text.length() < 64 << 10) {
                text.append(words[random.nextInt(words.length)])
                        .append(random.nextInt(1000))
                        .append(' ');
            }
            return text.substring(0, 64 << 10).getBytes(StandardCharsets.US_ASCII);
        }
    }
}
