package dev.memwarden.budget;

/** Runs in a child JVM for {@link MemoryBudgetIT}: prints the running JVM's budget. */
public final class BudgetProbe {
    private BudgetProbe() {}

    public static void main(String[] args) {
        System.out.print(MemoryBudget.ofRunningJvm().describe());
    }
}
