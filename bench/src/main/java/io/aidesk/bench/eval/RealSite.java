package io.aidesk.bench.eval;

import java.util.List;
import java.util.Map;

/** One of the eval's real documentation sites served on loopback, for the other benches (ingest --corpus git). */
public final class RealSite implements AutoCloseable {
    private final Corpus corpus;
    private final CorpusSite site;

    private RealSite(Corpus corpus, CorpusSite site) {
        this.corpus = corpus;
        this.site = site;
    }

    /** Serves the named corpus; its Debian package must be installed (the launcher's bench eval installs them). */
    public static RealSite serve(String name) {
        Corpus corpus = Corpus.named(name).orElseThrow(() -> new IllegalArgumentException("no corpus named " + name
                + "; one of " + Corpus.ALL.stream().map(Corpus::name).toList()));
        return new RealSite(corpus, new CorpusSite(corpus.root().orElseThrow(() -> new IllegalStateException(
                name + ": Debian's package " + corpus.packageName()
                        + " is not installed (./aidesk bench eval, or bench ingest --corpus, installs it)"))));
    }

    public String startUrl() {
        return site.url(corpus.start());
    }

    /** The crawl settings the eval syncs this corpus with. */
    public Map<String, Object> config() {
        return Map.of("max_pages", corpus.maxPages(), "include_paths", List.of(corpus.includePath()));
    }

    /** Never tuned on: it checks that what was tuned on the others holds. */
    boolean aside() {
        return corpus.aside();
    }

    public String packageName() {
        return corpus.packageName();
    }

    /** The requests answered 304 Not Modified (the file had not changed since the time the crawler gave). */
    public int notModified() {
        return site.notModified();
    }

    @Override
    public void close() {
        site.close();
    }
}
