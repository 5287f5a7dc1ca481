DROP TABLE council_settings;
