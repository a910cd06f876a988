package io.aidesk.app.ratelimit;

import io.aidesk.api.RateLimitedException;
import io.aidesk.api.agentrun.AgentRunBudget;
import io.aidesk.api.tenancy.Caller;
import io.aidesk.app.problems.ProblemWriter;
import io.aidesk.app.security.CurrentCaller;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Per-tenant token buckets (Bucket4j) for the expensive requests: sync requests and agent runs. Copilot drafts are
 * counted here, as requests; autopilot runs are counted when one starts (by handle-message or by a customer's message
 * alike), through {@link AgentRunBudget}, from the same budget. One tenant's flood gets 429 with Retry-After and never uses up another tenant's budget.
 */
@Component
public class TenantRateLimitFilter extends OncePerRequestFilter implements AgentRunBudget {
    /** One limited kind of request: which POSTs it covers and how many a tenant may send a minute. */
    private record Limit(String what, Pattern path, int perMinute, Map<String, Bucket> buckets) {
        Limit(String what, String path, int perMinute) {
            this(what, Pattern.compile(path), perMinute, new ConcurrentHashMap<>());
        }
    }

    private final ProblemWriter problems;
    private final List<Limit> limits;
    private final Limit agentRuns;

    public TenantRateLimitFilter(ProblemWriter problems,
                                 @Value("${aidesk.rate-limits.sync-requests-per-minute:30}") int syncsPerMinute,
                                 @Value("${aidesk.rate-limits.agent-runs-per-minute:120}") int runsPerMinute) {
        this.problems = problems;
        this.agentRuns = new Limit("agent runs", "/api/ai/assist/draft-reply/?", runsPerMinute);
        this.limits = List.of(new Limit("sync requests", "/api/ai/kb/sources(/[^/]+/sync)?/?", syncsPerMinute),
                agentRuns);
    }

    @Override
    public void acquire(String tenantId) {
        long waitSeconds = consume(agentRuns, tenantId);
        if (waitSeconds > 0) {
            throw new RateLimitedException(refusal(agentRuns, waitSeconds), waitSeconds);
        }
    }

    /** @return 0 when the tenant had budget left, else the seconds until it has again */
    private static long consume(Limit limit, String tenant) {
        int perMinute = limit.perMinute();
        Bucket bucket = limit.buckets().computeIfAbsent(tenant, t -> Bucket.builder()
                .addLimit(bandwidth -> bandwidth.capacity(perMinute).refillGreedy(perMinute, Duration.ofMinutes(1)))
                .build());
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
        return probe.isConsumed() ? 0 : Math.max(1, (probe.getNanosToWaitForRefill() + 999_999_999) / 1_000_000_000);
    }

    private static String refusal(Limit limit, long seconds) {
        return "your tenant may send " + limit.perMinute() + " " + limit.what() + " a minute; try again in " + seconds
                + " s";
    }

    private Optional<Limit> limitOf(HttpServletRequest request) {
        if (!"POST".equals(request.getMethod())) {
            return Optional.empty();
        }
        return limits.stream().filter(limit -> limit.path().matcher(request.getRequestURI()).matches()).findFirst();
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return limitOf(request).isEmpty();
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Optional<Caller> caller = CurrentCaller.get();
        Optional<Limit> limit = limitOf(request);
        if (caller.isPresent() && limit.isPresent()) {
            long seconds = consume(limit.get(), caller.get().tenantId().value());
            if (seconds > 0) {
                response.setHeader("Retry-After", Long.toString(seconds));
                problems.write(request, response, HttpStatus.TOO_MANY_REQUESTS, "Too many " + limit.get().what(),
                        refusal(limit.get(), seconds));
                return;
            }
        }
        chain.doFilter(request, response);
    }
}
