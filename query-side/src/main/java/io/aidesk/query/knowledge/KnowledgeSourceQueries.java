package io.aidesk.query.knowledge;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aidesk.api.knowledge.CrawlConfig;
import io.aidesk.api.knowledge.KnowledgeQueries.FindSource;
import io.aidesk.api.knowledge.KnowledgeQueries.ListSources;
import io.aidesk.api.knowledge.KnowledgeQueries.Progress;
import io.aidesk.api.knowledge.KnowledgeQueries.SourceList;
import io.aidesk.api.knowledge.KnowledgeQueries.SourceStats;
import io.aidesk.api.knowledge.KnowledgeQueries.SourceView;
import io.aidesk.api.knowledge.SyncCounts;
import io.aidesk.api.knowledge.SyncError;
import io.aidesk.api.tenancy.MetadataKeys;
import io.aidesk.api.tenancy.MissingTenantException;
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
import java.util.List;

/** The tenant's sources with their status and stats; document and chunk counts come from the index itself. */
@Component
class KnowledgeSourceQueries {
    private static final String SELECT = """
            SELECT s.*,
                   (SELECT count(*) FROM ai_kb_documents d WHERE d.tenant_id = s.tenant_id AND d.source_id = s.id) AS documents,
                   (SELECT count(*) FROM ai_kb_chunks c WHERE c.tenant_id = s.tenant_id AND c.source_id = s.id) AS chunks
            FROM ai_kb_sources s WHERE s.tenant_id = ?
            """;

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;

    KnowledgeSourceQueries(JdbcTemplate jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    @QueryHandler
    SourceList handle(ListSources query, @MetaDataValue(MetadataKeys.TENANT_ID) String tenant) {
        return new SourceList(jdbc.query(SELECT + " ORDER BY s.created_at DESC", (rs, n) -> view(rs), required(tenant)));
    }

    @QueryHandler
    SourceView handle(FindSource query, @MetaDataValue(MetadataKeys.TENANT_ID) String tenant) {
        List<SourceView> found = jdbc.query(SELECT + " AND s.id = ?", (rs, n) -> view(rs), required(tenant),
                query.sourceId());
        if (found.isEmpty()) {
            throw new NotFoundException("knowledge source");
        }
        return found.get(0);
    }

    private static String required(String tenant) {
        if (tenant == null) {
            throw new MissingTenantException("knowledge query");
        }
        return tenant;
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
        return new SourceView(rs.getString("id"), rs.getString("type"), rs.getString("url"), rs.getString("file_id"),
                rs.getString("file_name"), rs.getString("status"), rs.getString("error"),
                read(rs.getString("config"), new TypeReference<CrawlConfig>() { }),
                rs.getTimestamp("created_at").toInstant(), stats);
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
