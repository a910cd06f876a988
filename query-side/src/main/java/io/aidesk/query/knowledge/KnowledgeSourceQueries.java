package io.aidesk.query.knowledge;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aidesk.api.knowledge.CrawlConfig;
import io.aidesk.api.knowledge.KnowledgeQueries;
import io.aidesk.api.knowledge.KnowledgeQueries.FindSource;
import io.aidesk.api.knowledge.KnowledgeQueries.ListSources;
import io.aidesk.api.knowledge.KnowledgeQueries.ListSyncs;
import io.aidesk.api.knowledge.KnowledgeQueries.Progress;
import io.aidesk.api.knowledge.KnowledgeQueries.Schedule;
import io.aidesk.api.knowledge.KnowledgeQueries.SourceList;
import io.aidesk.api.knowledge.KnowledgeQueries.SourceStats;
import io.aidesk.api.knowledge.KnowledgeQueries.SourceView;
import io.aidesk.api.knowledge.KnowledgeQueries.SyncHistory;
import io.aidesk.api.knowledge.KnowledgeQueries.SyncRecord;
import io.aidesk.api.knowledge.SyncEvery;
import io.aidesk.api.knowledge.SyncCounts;
import io.aidesk.api.knowledge.SyncError;
import io.aidesk.api.tenancy.MetadataKeys;
import io.aidesk.api.tenancy.NotFoundException;
import org.axonframework.messaging.annotation.MetaDataValue;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** The tenant's sources with their status and stats; document and chunk counts come from the index itself. */
@Component
class KnowledgeSourceQueries {
    private static final String SELECT = """
            SELECT s.*, k.next_at AS schedule_next_at, k.backoff AS schedule_backoff, coalesce(k.failures, 0) AS schedule_failures,
                   (SELECT count(*) FROM ai_kb_documents d WHERE d.tenant_id = s.tenant_id AND d.source_id = s.id) AS documents,
                   (SELECT count(*) FROM ai_kb_chunks c WHERE c.tenant_id = s.tenant_id AND c.source_id = s.id) AS chunks
            FROM ai_kb_sources s LEFT JOIN ai_kb_sync_schedule k ON k.tenant_id = s.tenant_id AND k.source_id = s.id
            WHERE s.tenant_id = ?
            """;

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;

    KnowledgeSourceQueries(JdbcTemplate jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    @QueryHandler
    SourceList handle(ListSources query, @MetaDataValue(MetadataKeys.TENANT_ID) String tenant) {
        return new SourceList(jdbc.query(SELECT + " ORDER BY s.created_at DESC", (rs, n) -> view(rs), tenant));
    }

    @QueryHandler
    SourceView handle(FindSource query, @MetaDataValue(MetadataKeys.TENANT_ID) String tenant) {
        List<SourceView> found = jdbc.query(SELECT + " AND s.id = ?", (rs, n) -> view(rs), tenant,
                query.sourceId());
        if (found.isEmpty()) {
            throw new NotFoundException("knowledge source");
        }
        return found.get(0);
    }

    @QueryHandler
    SyncHistory handle(ListSyncs query, @MetaDataValue(MetadataKeys.TENANT_ID) String tenant) {
        handle(new FindSource(query.sourceId()), tenant);
        return new SyncHistory(jdbc.query("""
                SELECT * FROM ai_kb_sync_history WHERE tenant_id = ? AND source_id = ? ORDER BY requested_at DESC LIMIT ?
                """, (rs, n) -> sync(rs), tenant, query.sourceId(), KnowledgeQueries.SYNCS_KEPT));
    }

    private SyncRecord sync(ResultSet rs) throws SQLException {
        Instant started = instant(rs, "started_at");
        Instant finished = instant(rs, "finished_at");
        return new SyncRecord(rs.getString("sync_id"), rs.getString("trigger"), rs.getString("status"),
                instant(rs, "requested_at"), started, finished,
                started == null || finished == null ? null : Duration.between(started, finished).toMillis(),
                read(rs.getString("counts"), new TypeReference<SyncCounts>() { }), rs.getString("error"),
                read(rs.getString("errors"), new TypeReference<List<SyncError>>() { }));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp at = rs.getTimestamp(column);
        return at == null ? null : at.toInstant();
    }

    private SourceView view(ResultSet rs) throws SQLException {
        Integer total = (Integer) rs.getObject("progress_total");
        Integer done = (Integer) rs.getObject("progress_done");
        Timestamp lastSynced = rs.getTimestamp("last_synced_at");
        SourceStats stats = new SourceStats(rs.getInt("documents"), rs.getInt("chunks"),
                lastSynced == null ? null : lastSynced.toInstant(),
                read(rs.getString("last_sync"), new TypeReference<SyncCounts>() { }),
                total == null ? null : new Progress(done == null ? 0 : done, total),
                read(rs.getString("last_errors"), new TypeReference<List<SyncError>>() { }));
        CrawlConfig config = read(rs.getString("config"), new TypeReference<CrawlConfig>() { });
        Schedule schedule = config == null ? null : new Schedule(config.syncEvery(),
                SyncEvery.OFF.equals(config.syncEvery()) ? null : instant(rs, "schedule_next_at"),
                rs.getString("schedule_backoff"), rs.getInt("schedule_failures"),
                Schedule.waitFactor(rs.getInt("schedule_failures")));
        return new SourceView(rs.getString("id"), rs.getString("type"), rs.getString("url"), rs.getString("file_id"),
                rs.getString("file_name"), rs.getString("status"), rs.getString("error"), config,
                rs.getTimestamp("created_at").toInstant(), stats, schedule);
    }

    private <T> T read(String value, TypeReference<T> type) {
        if (value == null) {
            return null;
        }
        try {
            return json.readValue(value, type);
        } catch (IOException e) {
            throw new UncheckedIOException("ai_kb_sources holds JSON it cannot read back", e);
        }
    }
}
