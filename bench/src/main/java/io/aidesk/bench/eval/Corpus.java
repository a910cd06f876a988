package io.aidesk.bench.eval;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A real documentation site the eval syncs as a URL source: a Debian documentation package's HTML served on loopback.
 * The aside corpora are never tuned on; they check that what was tuned on the others holds on documentation it has
 * not seen.
 *
 * @param start       the page the crawl starts from
 * @param includePath the crawl's include glob, so only this language's or this manual's pages are indexed
 */
record Corpus(String name, String packageName, List<Path> roots, String start, String includePath, int maxPages,
              boolean aside) {

    static final List<Corpus> ALL = List.of(
            new Corpus("git", "git-doc", List.of(Path.of("/usr/share/doc/git-doc")), "/git.html", "/*.html", 400, false),
            new Corpus("debref-en", "debian-reference-en", List.of(Path.of("/usr/share/debian-reference")),
                    "/index.en.html", "/*.en.html", 40, false),
            new Corpus("debref-es", "debian-reference-es", List.of(Path.of("/usr/share/debian-reference")),
                    "/index.es.html", "/*.es.html", 40, false),
            new Corpus("debian-faq", "debian-faq", List.of(Path.of("/usr/share/doc/debian/FAQ")),
                    "/index.en.html", "/*.en.html", 60, true),
            new Corpus("maint-guide-es", "maint-guide-es", List.of(Path.of("/usr/share/doc/maint-guide-es/html")),
                    "/index.es.html", "/*.es.html", 60, true));

    /** The directory the package installed its HTML in, or empty when the package is not installed. */
    Optional<Path> root() {
        return roots.stream().filter(root -> Files.isRegularFile(root.resolve(start.substring(1)))).findFirst();
    }

    static Optional<Corpus> named(String name) {
        return ALL.stream().filter(corpus -> corpus.name.equals(name)).findFirst();
    }
}
