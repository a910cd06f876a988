package io.aidesk.ingestion.crawl;

/** A crawl ran past the sync's deadline; what it indexed so far stays. */
public class SyncTimeoutException extends RuntimeException {
    public SyncTimeoutException(int fetched) {
        super("the sync ran past its time limit after " + fetched + " pages");
    }

    /** The deadline came while a page was being fetched: that page was cut off. */
    public SyncTimeoutException() {
        super("the sync ran past its time limit while fetching a page");
    }
}
