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
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Per-tenant token buckets (Bucket4j) for the expensive requests: sync requests today. One tenant's flood gets 429 with
 * Retry-After and never uses up another tenant's budget.
 */
@Component
public class TenantRateLimitFilter extends OncePerRequestFilter {
    private static final Pattern SYNC_REQUEST = Pattern.compile("/api/ai/kb/sources(/[^/]+/sync)?/?");

    private final ProblemWriter problems;
    private final int syncsPerMinute;
    private final Map<String, Bucket> syncBuckets = new ConcurrentHashMap<>();

    public TenantRateLimitFilter(ProblemWriter problems,
                                 @Value("${aidesk.rate-limits.sync-requests-per-minute:30}") int syncsPerMinute) {
        this.problems = problems;
        this.syncsPerMinute = syncsPerMinute;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !"POST".equals(request.getMethod()) || !SYNC_REQUEST.matcher(request.getRequestURI()).matches();
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Optional<Caller> caller = CurrentCaller.get();
        if (caller.isPresent()) {
            Bucket bucket = syncBuckets.computeIfAbsent(caller.get().tenantId().value(), tenant -> Bucket.builder()
                    .addLimit(limit -> limit.capacity(syncsPerMinute).refillGreedy(syncsPerMinute, Duration.ofMinutes(1)))
                    .build());
            ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
            if (!probe.isConsumed()) {
                long seconds = Math.max(1, (probe.getNanosToWaitForRefill() + 999_999_999) / 1_000_000_000);
                response.setHeader("Retry-After", Long.toString(seconds));
                problems.write(request, response, HttpStatus.TOO_MANY_REQUESTS, "Too many sync requests",
                        "your tenant may request " + syncsPerMinute + " syncs a minute; try again in " + seconds + " s");
                return;
            }
        }
        chain.doFilter(request, response);
    }
}
