package io.aidesk.ingestion.sync;

import io.aidesk.api.knowledge.SyncError;
import io.aidesk.ingestion.crawl.Frontier;
import io.aidesk.ingestion.index.KnowledgeIndex;
import io.aidesk.ingestion.index.TenantTransactions;
import org.springframework.jdbc.core.JdbcTemplate;

import java.net.URI;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A sync's frontier in ai_kb_sync_pages: every URL it found, queued until the crawl is done with it, then what became
 * of it. A sync resumed after a crash loads it and goes on: no page it finished is fetched, or embedded, again.
 * Only one node runs a sync at a time (its job is picked once), so the rows are read once and then only written:
 * by the crawl's thread, and by the pipeline's writer as it writes each page.
 */
final class SyncPages implements Frontier {
    private static final Set<String> FETCHED = Set.of("indexed", "failed", "gone", "skipped");

    /** What the sync had done before it was resumed: its counts go on from these. */
    record Earlier(int documents, int newChunks, int unchangedChunks, int removedChunks, List<SyncError> errors,
                   Set<String> keep) {
    }

    private final JdbcTemplate jdbc;
    private final TenantTransactions tenants;
    private final String tenant;
    private final String syncId;
    private final Deque<URI> queue = new ArrayDeque<>();
    private final Set<String> seen = new HashSet<>();
    /** found since the last page finished; written with it, so a page's links are kept before the page is done */
    private final List<String[]> found = new ArrayList<>();
    private int fetched;
    private Earlier earlier;
    /** pages handed to the pipeline and not written yet: the crawl's "finished" leaves them queued */
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();

    SyncPages(JdbcTemplate jdbc, TenantTransactions tenants, String tenant, String syncId) {
        this.jdbc = jdbc;
        this.tenants = tenants;
        this.tenant = tenant;
        this.syncId = syncId;
        load();
    }

    Earlier earlier() {
        return earlier;
    }

    private void load() {
        int[] counts = new int[4];
        List<SyncError> errors = new ArrayList<>();
        Set<String> keep = new HashSet<>();
        tenants.inTenant(tenant, () -> {
            jdbc.query("""
                    SELECT url, state, new_chunks, unchanged_chunks, removed_chunks, indexed_url, reason
                    FROM ai_kb_sync_pages WHERE tenant_id = ? AND sync_id = ? ORDER BY seq
                    """, rs -> {
                String url = rs.getString("url");
                String state = rs.getString("state");
                seen.add(url);
                if (state.equals("queued")) {
                    queue.add(URI.create(url));
                }
                if (FETCHED.contains(state)) {
                    fetched++;
                }
                switch (state) {
                    case "indexed" -> {
                        counts[0]++;
                        counts[1] += rs.getInt("new_chunks");
                        counts[2] += rs.getInt("unchanged_chunks");
                        counts[3] += rs.getInt("removed_chunks");
                        keep.add(rs.getString("indexed_url"));
                    }
                    case "failed", "gone" -> {
                        errors.add(new SyncError(url, rs.getString("reason")));
                        if (state.equals("failed")) {
                            keep.add(url);
                        }
                    }
                    default -> {
                    }
                }
            }, tenant, syncId);
            return null;
        });
        earlier = new Earlier(counts[0], counts[1], counts[2], counts[3], errors, keep);
    }

    @Override
    public boolean add(URI url) {
        if (!seen.add(url.toString())) {
            return false;
        }
        queue.add(url);
        found.add(new String[] {url.toString(), "queued"});
        return true;
    }

    @Override
    public boolean claim(URI url) {
        if (!seen.add(url.toString())) {
            return false;
        }
        found.add(new String[] {url.toString(), "claimed"});
        return true;
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
        tenants.inTenant(tenant, () -> {
            writeFound();
            return inFlight.contains(url.toString()) ? 0 : jdbc.update("UPDATE ai_kb_sync_pages SET state = ? "
                    + "WHERE tenant_id = ? AND sync_id = ? AND url = ? AND state = 'queued'",
                    wasFetched ? "skipped" : "disallowed", tenant, syncId, url.toString());
        });
    }

    /**
     * The page the crawl requested at requestedUrl goes to be indexed: the links found so far are written now (a page
     * is never indexed before its links are kept), and the page stays queued until it is, whatever the crawl does next.
     *
     * @return requestedUrl
     */
    String handOver(String requestedUrl) {
        inFlight.add(requestedUrl);
        tenants.inTenant(tenant, () -> {
            writeFound();
            return null;
        });
        return requestedUrl;
    }

    /** The page requested at requestedUrl was indexed, as the document at documentUrl (where a redirect led). */
    void indexed(String requestedUrl, String documentUrl, KnowledgeIndex.Result result) {
        tenants.inTenant(tenant, () -> jdbc.update("""
                UPDATE ai_kb_sync_pages SET state = 'indexed', new_chunks = ?, unchanged_chunks = ?, removed_chunks = ?,
                    indexed_url = ? WHERE tenant_id = ? AND sync_id = ? AND url = ?
                """, result.newChunks(), result.unchangedChunks(), result.removedChunks(), documentUrl, tenant, syncId,
                requestedUrl));
        inFlight.remove(requestedUrl);
    }

    void failed(String url, String reason, boolean gone) {
        tenants.inTenant(tenant, () -> {
            writeFound();
            return jdbc.update("UPDATE ai_kb_sync_pages SET state = ?, reason = ? WHERE tenant_id = ? AND sync_id = ? "
                    + "AND url = ?", gone ? "gone" : "failed", reason, tenant, syncId, url);
        });
    }

    /** The sync ended: its frontier is not needed any more. */
    static void clear(JdbcTemplate jdbc, TenantTransactions tenants, String tenant, String syncId) {
        tenants.inTenant(tenant, () -> jdbc.update("DELETE FROM ai_kb_sync_pages WHERE tenant_id = ? AND sync_id = ?",
                tenant, syncId));
    }

    private void writeFound() {
        if (found.isEmpty()) {
            return;
        }
        jdbc.batchUpdate("INSERT INTO ai_kb_sync_pages (tenant_id, sync_id, url, state) VALUES (?, ?, ?, ?) "
                        + "ON CONFLICT DO NOTHING", found.stream().map(f -> new Object[] {tenant, syncId, f[0], f[1]}).toList());
        found.clear();
    }
}
