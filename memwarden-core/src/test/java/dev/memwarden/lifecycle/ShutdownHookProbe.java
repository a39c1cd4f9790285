package dev.memwarden.lifecycle;

import java.time.Duration;

/** Runs in a child JVM for {@link ShutdownHookIT}: installs the hook, then exits without calling shutdown. */
public final class ShutdownHookProbe {
    private ShutdownHookProbe() {}

    public static void main(String[] args) {
        ShutdownCoordinator shutdown =
                ShutdownCoordinator.builder().deadline(Duration.ofSeconds(5)).build();
        shutdown.step(ShutdownCoordinator.Phase.STOP_ACCEPTING, "server", () -> System.out.println("step server"));
        shutdown.step(
                ShutdownCoordinator.Phase.DRAIN,
                "hang",
                Duration.ofMillis(200),
                () -> new java.util.concurrent.CountDownLatch(1).await());
        shutdown.step(ShutdownCoordinator.Phase.CLOSE_RESOURCES, "pool", () -> System.out.println("step pool"));
        shutdown.installShutdownHook();
        System.out.println("ready");
        System.exit(0);
    }
}
