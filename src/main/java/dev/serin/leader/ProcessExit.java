package dev.serin.leader;

import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Ends the process at once, as controllers commonly do when they lose their lease: no in-flight reconcile, autopilot
 * tick or shutdown hook gets to write after another replica may have started leading. The Deployment restarts the
 * pod, which stands for election again. Tests replace this bean.
 */
@ApplicationScoped
public class ProcessExit {
    private static final Logger LOG = Logger.getLogger(ProcessExit.class);

    public void now(int code, String why) {
        LOG.errorf("exiting with code %d: %s", code, why);
        Runtime.getRuntime().halt(code); // not System.exit: shutdown hooks would run while other threads still write
    }
}
