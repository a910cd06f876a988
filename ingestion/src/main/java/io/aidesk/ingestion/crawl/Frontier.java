package io.aidesk.ingestion.crawl;

import java.net.URI;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;

/**
 * The URLs a crawl has found, in the order it fetches them. A sync keeps its own in the database ({@code SyncPages}),
 * so a sync resumed after a crash goes on from the first URL it had not finished.
 */
public interface Frontier {
    /** @return false when the URL was found before (in this crawl or the one it resumes) */
    boolean add(URI url);

    /** Marks a URL found without queueing it (where a redirect led). @return false when it was found before */
    boolean claim(URI url);

    /** The next URL to fetch, or null when none is left. */
    URI next();

    int queued();

    /** Pages fetched so far, those of the crawl it resumes included: max_pages counts them all. */
    int fetched();

    /** The crawl is done with the URL: fetched (or refused by robots.txt), handled, its links added. */
    void finished(URI url, boolean wasFetched);

    /** A frontier in memory, for a crawl that need not survive its process. */
    final class InMemory implements Frontier {
        private final Deque<URI> queue = new ArrayDeque<>();
        private final Set<String> seen = new HashSet<>();
        private int fetched;

        @Override
        public boolean add(URI url) {
            if (!seen.add(url.toString())) {
                return false;
            }
            queue.add(url);
            return true;
        }

        @Override
        public boolean claim(URI url) {
            return seen.add(url.toString());
        }

        @Override
        public URI next() {
            return queue.poll();
        }

        @Override
        public int queued() {
            return queue.size();
        }

        @Override
        public int fetched() {
            return fetched;
        }

        @Override
        public void finished(URI url, boolean wasFetched) {
            if (wasFetched) {
                fetched++;
            }
        }
    }
}
