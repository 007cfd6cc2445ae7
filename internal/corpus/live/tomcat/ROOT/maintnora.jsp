<%@ page contentType="text/html" %><% response.sendError(503, "The site is down for maintenance"); %>
