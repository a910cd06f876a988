package io.aidesk.api.agentrun;

/**
 * One start of a run at a time, across threads and nodes: whoever comes second waits for the first to commit and then
 * finds its run, instead of racing it to the event store.
 */
public interface RunStartLock {

    /**
     * Holds the lock on the run's start until the current transaction ends, waiting while another transaction holds it.
     *
     * @throws IllegalStateException outside a transaction, where the lock would end at once
     */
    void holdUntilCommit(String runId);
}
