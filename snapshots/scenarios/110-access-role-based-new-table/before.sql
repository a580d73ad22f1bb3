create schema core;
