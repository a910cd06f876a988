package io.aidesk.app.ratelimit;

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
 * Per-tenant token buckets (Bucket4j) for the expensive requests: sync requests and agent runs (copilot drafts and
 * autopilot runs). One tenant's flood gets 429 with Retry-After and never uses up another tenant's budget.
 */
@Component
public class TenantRateLimitFilter extends OncePerRequestFilter {
    /** One limited kind of request: which POSTs it covers and how many a tenant may send a minute. */
    private record Limit(String what, Pattern path, int perMinute, Map<String, Bucket> buckets) {
        Limit(String what, String path, int perMinute) {
            this(what, Pattern.compile(path), perMinute, new ConcurrentHashMap<>());
        }
    }

    private final ProblemWriter problems;
    private final List<Limit> limits;

    public TenantRateLimitFilter(ProblemWriter problems,
                                 @Value("${aidesk.rate-limits.sync-requests-per-minute:30}") int syncsPerMinute,
                                 @Value("${aidesk.rate-limits.agent-runs-per-minute:120}") int runsPerMinute) {
        this.problems = problems;
        this.limits = List.of(new Limit("sync requests", "/api/ai/kb/sources(/[^/]+/sync)?/?", syncsPerMinute),
                new Limit("agent runs", "/api/ai/(assist/draft-reply|agent/handle-message)/?", runsPerMinute));
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
            int perMinute = limit.get().perMinute();
            Bucket bucket = limit.get().buckets().computeIfAbsent(caller.get().tenantId().value(), tenant -> Bucket.builder()
                    .addLimit(bandwidth -> bandwidth.capacity(perMinute).refillGreedy(perMinute, Duration.ofMinutes(1)))
                    .build());
            ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
            if (!probe.isConsumed()) {
                long seconds = Math.max(1, (probe.getNanosToWaitForRefill() + 999_999_999) / 1_000_000_000);
                response.setHeader("Retry-After", Long.toString(seconds));
                problems.write(request, response, HttpStatus.TOO_MANY_REQUESTS, "Too many " + limit.get().what(),
                        "your tenant may send " + perMinute + " " + limit.get().what() + " a minute; try again in "
                                + seconds + " s");
                return;
            }
        }
        chain.doFilter(request, response);
    }
}
