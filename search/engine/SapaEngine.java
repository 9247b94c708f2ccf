import org.codelibs.opensearch.runner.OpenSearchRunner;

/**
 * Runs OpenSearchRunner as its own main does, with the same arguments, but says why when the node
 * cannot start: the runner's main exits with status 1 and no message on any exception (an unknown
 * setting, a port in use, a broken data path). engine.sh compiles this once into its cache and
 * falls back to the runner's main when no javac is at hand.
 */
public final class SapaEngine {
    private SapaEngine() {}

    public static void main(final String[] args) throws InterruptedException {
        final OpenSearchRunner runner = new OpenSearchRunner();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                runner.close();
            } catch (final Exception e) {
                e.printStackTrace();
            }
        }));
        try {
            runner.build(args);
        } catch (final Throwable e) {
            System.err.println("SAPA-ENGINE: the node could not start: " + e);
            e.printStackTrace();
            System.exit(1);
        }
        System.out.println("SAPA-ENGINE: node started");
        while (!runner.isClosed()) {
            Thread.sleep(1000);
        }
    }
}
