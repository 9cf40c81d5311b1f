package io.runnel.console;

import io.runnel.console.html.Html;
import io.runnel.console.html.Pages;
import io.runnel.http.HttpException;
import io.vertx.ext.web.RoutingContext;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.SecurityDisabledException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A page that failed, as a page: the cluster's refusal in its own words (404 for what does not exist, 409 for what
 * already does, 503 for what may pass, 400 for the rest), the console's own refusals with their status, and 500
 * with no detail, never a stack trace, for anything unexpected.
 */
final class ConsoleErrors {
    private static final Logger LOG = LoggerFactory.getLogger(ConsoleErrors.class);

    private final Pages pages;

    ConsoleErrors(Pages pages) {
        this.pages = pages;
    }

    void failed(RoutingContext ctx) {
        Throwable failure = ctx.failure();
        if (failure == null) {
            int status = ctx.statusCode() < 400 ? 500 : ctx.statusCode();
            show(ctx, status, status == 404 ? "Not found" : "HTTP " + status);
            return;
        }
        if (failure instanceof HttpException e) {
            show(ctx, e.httpStatus(), e.getMessage());
        } else if (failure instanceof UnknownTopicOrPartitionException || failure instanceof GroupIdNotFoundException) {
            show(ctx, 404, failure.getMessage());
        } else if (failure instanceof TopicExistsException) {
            show(ctx, 409, failure.getMessage());
        } else if (failure instanceof SecurityDisabledException) {
            show(ctx, 400, "The cluster has no authorizer (authorizer.class.name is not set): " + failure.getMessage());
        } else if (failure instanceof RetriableException) {
            show(ctx, 503, "The cluster could not answer now: " + failure.getMessage());
        } else if (failure instanceof ApiException) {
            show(ctx, 400, "The cluster refused: " + failure.getMessage());
        } else {
            LOG.warn("Console: {} {} failed", ctx.request().method(), ctx.request().path(), failure);
            show(ctx, 500, "Internal error");
        }
    }

    private void show(RoutingContext ctx, int status, String message) {
        pages.send(ctx, status, "Error " + status, Html.html("<p class=\"error\" role=\"alert\">{}</p>"
                + "<p><a href=\"/\">Back to the overview</a></p>", message), null);
    }
}
