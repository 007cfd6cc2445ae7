<%@ page contentType="text/html" %><% response.sendError(503); %>
