create schema jobs;
