DROP TABLE supervisor_remarks;
DROP FUNCTION minyi_guard_supervisor_remarks();
