<%@ page contentType="text/html" %><% if (true) { throw new IllegalStateException("database connection lost"); } %>
