package dev.memwarden.server.internal.http;

/** A request the API refuses, with the status and the message the client gets. Never carries a stack trace out. */
public final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String code;
    private final String message;

    public ApiException(int status, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.message = message;
    }

    public static ApiException badRequest(String message) {
        return new ApiException(400, "bad_request", message);
    }

    public static ApiException notFound(String message) {
        return new ApiException(404, "not_found", message);
    }

    public Response response() {
        return Response.error(status, code, message);
    }
}
