/* The dcsim version, written into every output's meta.csv. */
#ifndef DCSIM_VERSION_H
#define DCSIM_VERSION_H

#define DCSIM_VERSION "0.1.0"

#endif
