package io.aidesk.query.live;

import io.aidesk.api.live.LiveNotice;
import io.aidesk.api.live.LiveQueries.WatchChanges;
import org.axonframework.queryhandling.QueryUpdateEmitter;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Hears every node's changes (the Postgres notifications {@link LiveNotice} describes) on a connection of its own and
 * tells this node's subscribers of {@link WatchChanges}: a browser's stream, or a request waiting for its run, learns
 * of a change whichever node made it.
 */
@Component
class LiveListener implements SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(LiveListener.class);
    private static final int WAIT_MILLIS = 500;

    private final QueryUpdateEmitter emitter;
    private final String url;
    private final String user;
    private final String password;
    private volatile boolean running;
    private Thread thread;

    LiveListener(QueryUpdateEmitter emitter, @Value("${spring.datasource.url}") String url,
                 @Value("${spring.datasource.username}") String user,
                 @Value("${spring.datasource.password}") String password) {
        this.emitter = emitter;
        this.url = url;
        this.user = user;
        this.password = password;
    }

    @Override
    public void start() {
        running = true;
        thread = new Thread(this::listen, "live-updates-listener");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void stop() {
        running = false;
        if (thread != null) {
            thread.interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void listen() {
        while (running) {
            try (Connection connection = DriverManager.getConnection(url, user, password)) {
                try (Statement listen = connection.createStatement()) {
                    listen.execute("LISTEN " + LiveNotice.CHANNEL);
                }
                PGConnection notifications = connection.unwrap(PGConnection.class);
                while (running) {
                    PGNotification[] heard = notifications.getNotifications(WAIT_MILLIS);
                    if (heard != null) {
                        for (PGNotification notification : heard) {
                            tell(notification.getParameter());
                        }
                    }
                }
            } catch (SQLException e) {
                if (!running) {
                    return;
                }
                // a change made while the connection is down reaches nobody: screens read again when it changes next
                log.warn("the live updates' listener lost its connection; it listens again in a second: {}", e.toString());
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    private void tell(String payload) {
        LiveNotice.decode(payload).ifPresent(notice -> emitter.emit(WatchChanges.class,
                watch -> watch.topic() == notice.change().topic() && notice.tenantId().equals(watch.tenantId()),
                notice.change()));
    }
}
