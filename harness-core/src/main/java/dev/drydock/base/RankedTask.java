package dev.drydock.base;

/**
 * A task as a priority queue of an executor holds it: a lower rank runs first, tasks of one rank in the order they
 * came ({@code seq}, which the executor counts). Used where one pool serves work of several urgencies.
 *
 * @param rank the task's urgency: 0 first
 * @param seq  its arrival order among the executor's tasks
 * @param task what runs
 */
public record RankedTask(int rank, long seq, Runnable task) implements Runnable, Comparable<RankedTask> {

    @Override
    public void run() {
        task.run();
    }

    @Override
    public int compareTo(RankedTask o) {
        return rank != o.rank ? Integer.compare(rank, o.rank) : Long.compare(seq, o.seq);
    }
}
