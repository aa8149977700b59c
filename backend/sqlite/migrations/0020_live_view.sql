-- Nothing to do on SQLite: the live view (0020_live_view.pgsql) is for a team's desktops
-- sharing one PostgreSQL database. A SQLite database belongs to one process (the data
-- folder's lock), and that process's window refreshes after its own actions.
SELECT 1;
