/** Knowledge workers: crawl, parse, clean, chunk, embed into ai_kb_chunks (issue 3). Only this module imports jsoup, PDFBox and POI. */
package io.aidesk.ingestion;
