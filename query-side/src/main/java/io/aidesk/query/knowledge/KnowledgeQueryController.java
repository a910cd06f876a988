package io.aidesk.query.knowledge;

import io.aidesk.api.InvalidCommandException;
import io.aidesk.api.knowledge.KnowledgeQueries.FindSource;
import io.aidesk.api.knowledge.KnowledgeQueries.ListSources;
import io.aidesk.api.knowledge.KnowledgeQueries.ListSyncs;
import io.aidesk.api.knowledge.KnowledgeQueries.SearchKnowledge;
import io.aidesk.api.knowledge.KnowledgeQueries.SearchResult;
import io.aidesk.api.knowledge.KnowledgeQueries.SourceList;
import io.aidesk.api.knowledge.KnowledgeQueries.SourceView;
import io.aidesk.api.knowledge.KnowledgeQueries.SyncHistory;
import io.aidesk.api.tenancy.Caller;
import io.aidesk.api.tenancy.Ids;
import io.aidesk.api.Queries;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;


/** Reads the tenant's sources and searches its knowledge. */
@RestController
@RequestMapping("/api/ai/kb")
class KnowledgeQueryController {
    static final int MAX_QUERY_LENGTH = 2000;
    static final int MAX_TOP_K = 50;

    private final QueryGateway queries;

    KnowledgeQueryController(QueryGateway queries) {
        this.queries = queries;
    }

    record Filters(String sourceId) {
    }

    record Search(String query, Integer topK, Filters filters) {
    }

    @GetMapping("/sources")
    SourceList list(Caller caller) {
        return Queries.await(queries.query(new ListSources(), SourceList.class));
    }

    @GetMapping("/sources/{id}")
    SourceView find(@PathVariable String id, Caller caller) {
        return Queries.await(queries.query(new FindSource(Ids.known(id, "knowledge source")), SourceView.class));
    }

    @GetMapping("/sources/{id}/syncs")
    SyncHistory syncs(@PathVariable String id, Caller caller) {
        return Queries.await(queries.query(new ListSyncs(Ids.known(id, "knowledge source")), SyncHistory.class));
    }

    @PostMapping("/query")
    SearchResult search(@RequestBody Search body, Caller caller) {
        if (body.query() == null || body.query().isBlank()) {
            throw new InvalidCommandException("query", "send the question to search for");
        }
        if (body.query().length() > MAX_QUERY_LENGTH) {
            throw new InvalidCommandException("query", "a query is at most " + MAX_QUERY_LENGTH + " characters");
        }
        int topK = body.topK() == null ? 5 : body.topK();
        if (topK < 1 || topK > MAX_TOP_K) {
            throw new InvalidCommandException("top_k", "top_k is between 1 and " + MAX_TOP_K + ", got " + topK);
        }
        String sourceId = body.filters() == null ? null : body.filters().sourceId();
        if (sourceId != null && !Ids.wellFormed(sourceId)) {
            throw new InvalidCommandException("filters.source_id", "not a source id: '" + sourceId + "'");
        }
        return Queries.await(queries.query(new SearchKnowledge(body.query().strip(), topK, sourceId), SearchResult.class));
    }
}
