package io.aidesk.command.knowledge;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aidesk.api.StateConflictException;
import io.aidesk.api.knowledge.CrawlConfig;
import io.aidesk.api.knowledge.SourceType;
import io.aidesk.api.tenancy.RowSecurity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.net.URI;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/**
 * A tenant's website is registered once per crawl scope: a second source with the same start page (up to case, default
 * port, fragment and a trailing slash) and the same path rules would crawl the same pages into duplicate chunks, and is
 * refused. The same site with other path rules (its /docs and its /blog) is two sources.
 */
@Component
class SourceDuplicates {
    private final JdbcTemplate jdbc;
    private final ObjectMapper json;
    private final TransactionTemplate transactions;

    SourceDuplicates(JdbcTemplate jdbc, ObjectMapper json, PlatformTransactionManager transactionManager) {
        this.jdbc = jdbc;
        this.json = json;
        this.transactions = new TransactionTemplate(transactionManager);
    }

    /**
     * Registers the source with register, in a transaction that holds the tenant's lock on that scope until the source
     * is in the read model, so two requests at once cannot both pass.
     *
     * @throws StateConflictException when the tenant already has a source of that scope
     */
    <T> T registerOnce(String tenant, String url, CrawlConfig config, Supplier<T> register) {
        Scope scope = Scope.of(url, config);
        return transactions.execute(status -> {
            jdbc.queryForObject(RowSecurity.SCOPE_SQL, String.class, tenant);
            jdbc.query("SELECT pg_advisory_xact_lock(hashtext('aidesk.source:' || ? || ' ' || ?))", rs -> null, tenant,
                    scope.site());
            for (Map<String, Object> source : jdbc.queryForList(
                    "SELECT id, url, config::text AS config FROM ai_kb_sources WHERE tenant_id = ? AND type = ?", tenant,
                    SourceType.URL)) {
                if (scope.equals(Scope.of((String) source.get("url"), read((String) source.get("config"))))) {
                    throw new StateConflictException("this tenant already has a source for " + source.get("url")
                            + " with the same path rules (" + source.get("id") + "): sync it or change its config");
                }
            }
            return register.get();
        });
    }

    private CrawlConfig read(String config) {
        try {
            return json.readValue(config, CrawlConfig.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored source config cannot be read", e);
        }
    }

    /** What a URL source crawls: its start page, normalised, and its rules. */
    record Scope(String site, boolean sameDomainOnly, Set<String> includePaths, Set<String> excludePaths) {
        static Scope of(String url, CrawlConfig config) {
            CrawlConfig rules = config == null ? CrawlConfig.defaults() : config;
            return new Scope(site(url), Objects.requireNonNullElse(rules.sameDomainOnly(), true),
                    new HashSet<>(rules.includePaths()), new HashSet<>(rules.excludePaths()));
        }

        static String site(String url) {
            URI uri = URI.create(url.strip());
            String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
            int port = uri.getPort();
            boolean defaultPort = port == -1 || (scheme.equals("http") && port == 80) || (scheme.equals("https") && port == 443);
            String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
            if (path.length() > 1 && path.endsWith("/")) {
                path = path.substring(0, path.length() - 1);
            }
            return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port) + path
                    + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        }
    }
}
