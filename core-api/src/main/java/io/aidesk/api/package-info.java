/** The published language of AI Desk: commands, events, queries and value types, shared by every module. */
package io.aidesk.api;
