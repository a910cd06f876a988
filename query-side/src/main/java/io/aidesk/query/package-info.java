/** The read side: query handlers over the read models and the read REST API. It never sends commands. */
package io.aidesk.query;
