DROP TABLE supervisor_remarks;
