/** Event handlers that write the read models; they never call a model and never send commands. */
package io.aidesk.projections;
