DROP TABLE minute_signatures;
DROP TABLE minutes;
DROP TABLE votes;
DROP TABLE recusals;
DROP TABLE motions;
DROP TABLE attendance;
DROP TABLE meetings;
