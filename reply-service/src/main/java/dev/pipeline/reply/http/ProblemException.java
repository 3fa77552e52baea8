package dev.pipeline.reply.http;

/**
 * Ends handling of an HTTP request with a problem answer; the exception mapping in
 * {@link ReplyHttpServer} writes it. Carries no stack trace: it is an answer, not a failure to log.
 */
public final class ProblemException extends RuntimeException {

    private final transient Problem problem;

    public ProblemException(Problem problem) {
        super(problem.detail(), null, false, false);
        this.problem = problem;
    }

    public Problem problem() {
        return problem;
    }
}
