package io.aidesk.ingestion.crawl;

/** A handle on a running crawl: stop() ends it within moments, cutting off the pages it is fetching. */
public final class Crawl {
    private volatile boolean stopped;
    private volatile Fetcher fetcher;

    public void stop() {
        stopped = true;
        Fetcher current = fetcher;
        if (current != null) {
            current.abort();
        }
    }

    public boolean stopped() {
        return stopped;
    }

    void attach(Fetcher fetcher) {
        this.fetcher = fetcher;
        if (stopped) {
            fetcher.abort();
        }
    }
}
